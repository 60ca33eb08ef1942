using System.Collections.Concurrent;
using RfpioGateway.Grains;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Storage.Memory;

/// <summary>Activity in process memory, for the Memory storage provider (tests). Lost on restart, like everything there.</summary>
internal sealed class MemoryActivityStore : IActivityStore
{
    private readonly ConcurrentDictionary<string, List<ActivityRecord>> _tenants = new();
    private long _sequence;

    public Task AppendAsync(IReadOnlyList<ActivityRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            var list = _tenants.GetOrAdd(record.Tenant, _ => []);
            lock (list)
            {
                list.Add(record with { Sequence = Interlocked.Increment(ref _sequence) });
            }
        }
        return Task.CompletedTask;
    }

    public Task<ActivityPage> QueryAsync(string tenant, ActivityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var list = Snapshot(tenant);
        var page = list.Where(query.Matches).Reverse().Take(query.Count + 1).ToList();
        var next = page.Count > query.Count ? page[query.Count - 1].Sequence : (long?)null;
        return Task.FromResult(new ActivityPage([.. page.Take(query.Count)], next));
    }

    public Task<IReadOnlyDictionary<string, int>> CountAsync(string tenant, DateTimeOffset since) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(Snapshot(tenant).Where(r => r.Time >= since)
            .GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count()));

    public Task TrimAsync(string tenant, int keep, DateTimeOffset cutoff)
    {
        if (_tenants.TryGetValue(tenant, out var list))
        {
            lock (list)
            {
                list.RemoveAll(r => r.Time < cutoff);
                if (list.Count > keep)
                {
                    list.RemoveRange(0, list.Count - keep);
                }
            }
        }
        return Task.CompletedTask;
    }

    private List<ActivityRecord> Snapshot(string tenant)
    {
        if (!_tenants.TryGetValue(tenant, out var list))
        {
            return [];
        }
        lock (list)
        {
            return [.. list];
        }
    }
}
