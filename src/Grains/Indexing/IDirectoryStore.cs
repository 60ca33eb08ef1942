using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// Where directory shards keep their summaries: one row per resource, so a change writes one row whatever the
/// tenant's size. The shard grain is the only writer of its rows.
/// </summary>
public interface IDirectoryStore
{
    Task<IReadOnlyList<ResourceSummary>> ReadShardAsync(string shardKey);

    Task UpsertAsync(string shardKey, ResourceSummary summary);

    Task RemoveAsync(string shardKey, string id);
}
