namespace RfpioGateway.Grains;

/// <summary>The one grain-storage provider name every grain uses; the silo decides what stands behind it.</summary>
public static class StorageNames
{
    public const string Scim = "scim";
}
