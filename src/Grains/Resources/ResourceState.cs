namespace RfpioGateway.Grains;

/// <summary>The stored state of a resource of a type added after users; bounded by the SCIM core's document limits.</summary>
[GenerateSerializer, Alias("rfpio.resource-state")]
internal sealed record ResourceState : IResourceState<ResourceState>
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public byte[]? Document { get; init; }
    [Id(2)] public long Version { get; init; }
    [Id(3)] public DateTimeOffset Created { get; init; }
    [Id(4)] public DateTimeOffset LastModified { get; init; }
    [Id(5)] public IReadOnlyList<string?> Keys { get; init; } = [];
    [Id(6)] public bool ProjectionPending { get; init; }
    [Id(7)] public PendingChange? Change { get; init; }

    public static ResourceState Written(byte[] document, long version, DateTimeOffset created, DateTimeOffset lastModified, IReadOnlyList<string?> keys, PendingChange change) =>
        new() { Exists = true, Document = document, Version = version, Created = created, LastModified = lastModified, Keys = keys, ProjectionPending = true, Change = change };

    public static ResourceState Tombstone(long version, PendingChange change) => new() { Version = version, Change = change };

    public ResourceState Settled() => this with { ProjectionPending = false, Change = null };
}
