namespace RfpioGateway.Grains;

/// <summary>
/// What <see cref="ResourceGrain{TState}"/> needs of a resource type's stored state. Each type keeps its own state
/// record, so a stored shape never changes when another type is added; <see cref="ResourceState"/> serves new types.
/// </summary>
internal interface IResourceState<TSelf> where TSelf : IResourceState<TSelf>, new()
{
    bool Exists { get; }
    byte[]? Document { get; }
    long Version { get; }
    DateTimeOffset Created { get; }
    DateTimeOffset LastModified { get; }

    /// <summary>The uniqueness keys the resource holds: one slot per unique attribute of its type, in that order.</summary>
    IReadOnlyList<string?> Keys { get; }

    /// <summary>The directory shard may not show this version yet: finish that on the next activation.</summary>
    bool ProjectionPending { get; }

    /// <summary>This state with <see cref="ProjectionPending"/> cleared.</summary>
    TSelf ProjectionDone();

    /// <summary>A resource just written: its projection is pending.</summary>
    static abstract TSelf Written(byte[] document, long version, DateTimeOffset created, DateTimeOffset lastModified, IReadOnlyList<string?> keys);
}
