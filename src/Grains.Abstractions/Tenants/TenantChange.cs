namespace RfpioGateway.Grains.Abstractions;

/// <summary>What became of a change to a tenant's token or console credential.</summary>
[GenerateSerializer, Alias("rfpio.tenant-change")]
public enum TenantChange
{
    Done,

    /// <summary>The tenant does not exist.</summary>
    NoTenant,

    /// <summary>The tenant is being offboarded: it takes no new secrets.</summary>
    Offboarding,
}
