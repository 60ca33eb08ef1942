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

    /// <summary>The event the last write owes the tenant's feed, or null once it is appended for sure.</summary>
    PendingChange? Change { get; }

    /// <summary>This state with <see cref="ProjectionPending"/> and <see cref="Change"/> cleared.</summary>
    TSelf Settled();

    /// <summary>A resource just written: its projection and its event are pending.</summary>
    static abstract TSelf Written(byte[] document, long version, DateTimeOffset created, DateTimeOffset lastModified, IReadOnlyList<string?> keys, PendingChange change);

    /// <summary>A deleted resource whose delete event is pending: not <see cref="Exists"/>, cleared once the event is appended.</summary>
    static abstract TSelf Tombstone(long version, PendingChange change);
}
