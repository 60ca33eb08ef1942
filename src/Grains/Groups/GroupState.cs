namespace RfpioGateway.Grains;

/// <summary>
/// One group: its document without members (bounded by the SCIM core's document limits) and, while its last write
/// is pending, that write's membership change (bounded by the request's size). Members themselves are rows of the
/// <see cref="IMembershipStore"/>, so this state is the same size for a group of 10 and one of 100,000.
/// </summary>
[GenerateSerializer, Alias("rfpio.group-state")]
internal sealed record GroupState : IResourceState<GroupState>
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public byte[]? Document { get; init; }
    [Id(2)] public long Version { get; init; }
    [Id(3)] public DateTimeOffset Created { get; init; }
    [Id(4)] public DateTimeOffset LastModified { get; init; }
    [Id(5)] public IReadOnlyList<string?> Keys { get; init; } = [];
    [Id(6)] public bool ProjectionPending { get; init; }
    [Id(7)] public PendingChange? Change { get; init; }

    /// <summary>The membership change of the last write, applied again by the next activation (idempotently).</summary>
    [Id(8)] public MembershipDelta? Members { get; init; }

    public static GroupState Written(byte[] document, long version, DateTimeOffset created, DateTimeOffset lastModified, IReadOnlyList<string?> keys, PendingChange change) =>
        new() { Exists = true, Document = document, Version = version, Created = created, LastModified = lastModified, Keys = keys, ProjectionPending = true, Change = change };

    public static GroupState Tombstone(long version, PendingChange change) => new() { Version = version, Change = change };

    public GroupState Settled() => this with { ProjectionPending = false, Change = null, Members = null };
}
