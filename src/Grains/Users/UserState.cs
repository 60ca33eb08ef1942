namespace RfpioGateway.Grains;

/// <summary>
/// One user: bounded by the SCIM core's document limits, whatever the tenant's size. Its shape is the one users
/// were first stored in: the Azure provider stores states as JSON with property names and the type's full name
/// (<c>$type</c>), so neither may change, and it keeps a named slot per unique attribute rather than
/// <see cref="ResourceState"/>'s list. StoredDataTests reads data an earlier revision wrote.
/// </summary>
[GenerateSerializer, Alias("rfpio.user-state")]
internal sealed record UserState : IResourceState<UserState>
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public byte[]? Document { get; init; }
    [Id(2)] public long Version { get; init; }
    [Id(3)] public DateTimeOffset Created { get; init; }
    [Id(4)] public DateTimeOffset LastModified { get; init; }
    [Id(5)] public string? UserNameKey { get; init; }
    /// <summary>
    /// The externalId key of a user written while externalId was unique; null for any written since. Still listed in
    /// <see cref="IResourceState{TState}.Keys"/>, so the user's next write or delete releases it.
    /// </summary>
    [Id(6)] public string? ExternalIdKey { get; init; }

    /// <inheritdoc/>
    [Id(7)] public bool ProjectionPending { get; init; }

    /// <inheritdoc/>
    [Id(8)] public PendingChange? Change { get; init; }

    // Explicit, so no serializer stores it: in UserResource.Type's order (userName), then the retired externalId key.
    IReadOnlyList<string?> IResourceState<UserState>.Keys => [UserNameKey, ExternalIdKey];

    public static UserState Tombstone(long version, PendingChange change) => new() { Version = version, Change = change };

    public static UserState Written(byte[] document, long version, DateTimeOffset created, DateTimeOffset lastModified, IReadOnlyList<string?> keys, PendingChange change)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new()
        {
            Exists = true,
            Document = document,
            Version = version,
            Created = created,
            LastModified = lastModified,
            UserNameKey = keys[0],
            ExternalIdKey = null,
            ProjectionPending = true,
            Change = change,
        };
    }

    public UserState Settled() => this with { ProjectionPending = false, Change = null };
}
