using System.Collections.Concurrent;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Storage.Memory;

/// <summary>The directory in process memory, shared by every silo of the process: for the Memory provider and tests.</summary>
internal sealed class MemoryDirectoryStore : IDirectoryStore
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> Shards = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<ResourceSummary>> ReadShardAsync(string shardKey) =>
        Task.FromResult<IReadOnlyList<ResourceSummary>>(Shards.TryGetValue(shardKey, out var rows)
            ? [.. rows.Select(r => new ResourceSummary(r.Key, r.Value))]
            : []);

    public Task UpsertAsync(string shardKey, ResourceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Shards.GetOrAdd(shardKey, _ => new(StringComparer.Ordinal))[summary.Id] = summary.Json;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string shardKey, string id)
    {
        if (Shards.TryGetValue(shardKey, out var rows))
        {
            rows.TryRemove(id, out _);
        }
        return Task.CompletedTask;
    }
}
