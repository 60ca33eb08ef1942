using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Memory;

namespace RfpioGateway.Grains.Tests;

/// <summary>The directory (in memory unless given another), with its row writes counted and failed like grain-state writes.</summary>
public sealed class FaultyDirectoryStore(IDirectoryStore inner) : IDirectoryStore
{
    private readonly IDirectoryStore _inner = inner;

    public FaultyDirectoryStore() : this(new MemoryDirectoryStore())
    {
    }

    public Task<IReadOnlyList<ResourceSummary>> ReadShardAsync(string shardKey) => _inner.ReadShardAsync(shardKey);

    public Task UpsertAsync(string shardKey, ResourceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        FaultyGrainStorage.MaybeFail(shardKey, $"directory row {summary.Id} of {shardKey}", "write");
        return _inner.UpsertAsync(shardKey, summary);
    }

    public Task RemoveAsync(string shardKey, string id)
    {
        FaultyGrainStorage.MaybeFail(shardKey, $"directory row {id} of {shardKey}", "clear");
        return _inner.RemoveAsync(shardKey, id);
    }
}
