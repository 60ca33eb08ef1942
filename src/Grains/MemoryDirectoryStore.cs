using System.Collections.Concurrent;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>The directory in process memory, shared by every silo of the process: for the Memory provider and tests.</summary>
public sealed class MemoryDirectoryStore : IDirectoryStore
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> Shards = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<UserSummary>> ReadShardAsync(string shardKey) =>
        Task.FromResult<IReadOnlyList<UserSummary>>(Shards.TryGetValue(shardKey, out var rows)
            ? [.. rows.Select(r => new UserSummary(r.Key, r.Value))]
            : []);

    public Task UpsertAsync(string shardKey, UserSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Shards.GetOrAdd(shardKey, _ => new(StringComparer.Ordinal))[summary.Id] = summary.Json;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string shardKey, string userId)
    {
        if (Shards.TryGetValue(shardKey, out var rows))
        {
            rows.TryRemove(userId, out _);
        }
        return Task.CompletedTask;
    }
}
