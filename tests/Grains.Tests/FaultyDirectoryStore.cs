using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>The in-memory directory, with its row writes counted and failed like grain-state writes.</summary>
public sealed class FaultyDirectoryStore : IDirectoryStore
{
    private readonly MemoryDirectoryStore _inner = new();

    public Task<IReadOnlyList<UserSummary>> ReadShardAsync(string shardKey) => _inner.ReadShardAsync(shardKey);

    public Task UpsertAsync(string shardKey, UserSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        FaultyGrainStorage.MaybeFail(shardKey, $"directory row {summary.Id} of {shardKey}", "write");
        return _inner.UpsertAsync(shardKey, summary);
    }

    public Task RemoveAsync(string shardKey, string userId)
    {
        FaultyGrainStorage.MaybeFail(shardKey, $"directory row {userId} of {shardKey}", "clear");
        return _inner.RemoveAsync(shardKey, userId);
    }
}
