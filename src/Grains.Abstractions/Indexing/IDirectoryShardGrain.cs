using Orleans.Concurrency;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// One of a tenant's fixed number of directory shards (key <see cref="GrainKeys.Shard"/>): summaries of the resources
/// of one type whose id hashes to it, ordered by id, for listing and for filters that no index answers.
/// </summary>
[Alias("rfpio.IDirectoryShardGrain")]
public interface IDirectoryShardGrain : IGrainWithStringKey
{
    [Alias("Upsert")]
    Task UpsertAsync(ResourceSummary summary);

    [Alias("Remove")]
    Task RemoveAsync(string id);

    /// <summary>The summaries of those of <paramref name="ids"/> this shard holds (a batch existence check).</summary>
    [Alias("Find"), ReadOnly]
    Task<IReadOnlyList<ResourceSummary>> FindAsync(IReadOnlyList<string> ids);

    /// <summary>How many summaries match (all when <paramref name="filter"/> is null).</summary>
    [Alias("Count"), ReadOnly]
    Task<int> CountAsync(string? filter);

    /// <summary>Matching summaries in id order, skipping <paramref name="skip"/> matches and returning at most <paramref name="take"/>.</summary>
    [Alias("Read"), ReadOnly]
    Task<ShardPage> ReadAsync(string? filter, int skip, int take);

    /// <summary>Up to <paramref name="take"/> summaries in an earlier revision's shape, to be rendered again.</summary>
    [Alias("Stale"), ReadOnly]
    Task<IReadOnlyList<ResourceSummary>> StaleAsync(int take);

    /// <summary>
    /// Replaces a summary read by <see cref="StaleAsync"/> with <paramref name="current"/> (or removes it when null),
    /// unless the resource has written a new one meanwhile: then that one stands.
    /// </summary>
    [Alias("Refresh")]
    Task RefreshAsync(ResourceSummary stale, ResourceSummary? current);

    /// <summary>The ids, in order, of this shard's resources whose <paramref name="attribute"/> (a value index) is exactly <paramref name="value"/>.</summary>
    [Alias("FindBy"), ReadOnly]
    Task<IReadOnlyList<string>> FindByAsync(string attribute, string value);

    /// <summary>
    /// Matching summaries in id order from the first id above <paramref name="afterId"/> (from the start when null), at
    /// most <paramref name="take"/>: a cursor's step, which costs the same however deep into the shard it is.
    /// </summary>
    [Alias("ReadAfter"), ReadOnly]
    Task<ShardPage> ReadAfterAsync(string? filter, string? afterId, int take);
}
