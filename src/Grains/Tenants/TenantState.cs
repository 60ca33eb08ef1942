namespace RfpioGateway.Grains;

[GenerateSerializer, Alias("rfpio.tenant-state")]
internal sealed record TenantState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public bool ProvisioningEnabled { get; init; }
    [Id(2)] public byte[]? TokenDigest { get; init; }
    [Id(3)] public string? TokenFingerprint { get; init; }
    [Id(4)] public DateTimeOffset? TokenIssuedAt { get; init; }
    [Id(5)] public DateTimeOffset? Created { get; init; }
    [Id(6)] public int ShardCount { get; init; }

    /// <summary>Offboarding: users are being deleted; the tenant answers nothing and cannot be re-created until done.</summary>
    [Id(7)] public bool Offboarding { get; init; }

    /// <summary>The keyed hash of the tenant-admin console credential; the credential itself is never stored.</summary>
    [Id(8)] public byte[]? AdminCredentialDigest { get; init; }
    [Id(9)] public DateTimeOffset? AdminCredentialIssuedAt { get; init; }

    /// <summary>Bumped whenever the admin credential is issued or revoked: console sessions of an older generation end.</summary>
    [Id(10)] public int AdminGeneration { get; init; }

    /// <summary>Console sessions signed out before they expired (session id → expiry), at most <c>TenantGrain.MaxEndedSessions</c>.</summary>
    [Id(11)] public Dictionary<string, DateTimeOffset>? EndedAdminSessions { get; init; }

    /// <summary>The one-time reveal of a newly generated SCIM token that the console may still show, by its id.</summary>
    [Id(12)] public string? TokenRevealId { get; init; }

    /// <summary>The tenant's event streams, at most <c>TenantGrain.MaxStreams</c>.</summary>
    [Id(13)] public IReadOnlyList<string>? Streams { get; init; }
}
