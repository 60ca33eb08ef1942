namespace RfpioGateway.Scim.Resources;

/// <summary>Size bounds for one resource, so no single document can outgrow a storage row.</summary>
public sealed record ResourceLimits
{
    public static ResourceLimits Default { get; } = new();

    /// <summary>Longest string value, in UTF-8 bytes (Azure Table caps a property at 64 KiB).</summary>
    public int MaxStringBytes { get; init; } = 16 * 1024;

    /// <summary>Most values in one multi-valued attribute of a user (emails, roles, …).</summary>
    public int MaxValues { get; init; } = 100;

    /// <summary>Largest canonical document, in UTF-8 bytes.</summary>
    public int MaxDocumentBytes { get; init; } = 256 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request body.</summary>
    public int MaxJsonDepth { get; init; } = 32;

    /// <summary>Most operations in one PATCH request. The Entra ID validator sends about 40.</summary>
    public int MaxPatchOperations { get; init; } = 500;
}
