namespace RfpioGateway.Grains;

/// <summary>One user: bounded by the SCIM core's document limits, whatever the tenant's size.</summary>
[GenerateSerializer, Alias("rfpio.user-state")]
public sealed record UserState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public byte[]? Document { get; init; }
    [Id(2)] public long Version { get; init; }
    [Id(3)] public DateTimeOffset Created { get; init; }
    [Id(4)] public DateTimeOffset LastModified { get; init; }
    [Id(5)] public string? UserNameKey { get; init; }
    [Id(6)] public string? ExternalIdKey { get; init; }

    /// <summary>The directory shard may not show this version yet: finish that on the next activation.</summary>
    [Id(7)] public bool ProjectionPending { get; init; }
}
