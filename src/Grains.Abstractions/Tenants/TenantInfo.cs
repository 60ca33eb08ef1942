namespace RfpioGateway.Grains.Abstractions;

/// <summary>What an operator sees of a tenant. Never a token, a credential or their hashes.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.tenant-info")]
public sealed record TenantInfo(
    [property: Id(0)] bool Exists,
    [property: Id(1)] bool ProvisioningEnabled,
    [property: Id(2)] DateTimeOffset? TokenIssuedAt,
    [property: Id(3)] string? TokenFingerprint,
    [property: Id(4)] DateTimeOffset? Created,
    [property: Id(5)] int ShardCount,
    [property: Id(6)] bool Offboarding = false,
    [property: Id(7)] DateTimeOffset? AdminCredentialIssuedAt = null,
    [property: Id(8)] int AdminGeneration = 0);
