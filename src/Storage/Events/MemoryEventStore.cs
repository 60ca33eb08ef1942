using System.Collections.Concurrent;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Storage.Events;

/// <summary>Feeds in process memory, shared by every silo of the process: for the Memory provider and tests.</summary>
internal sealed class MemoryEventStore : IEventStore
{
    private sealed class Feed
    {
        public SortedList<long, ChangeEvent> Events { get; } = [];
        public Dictionary<string, long> Keys { get; } = new(StringComparer.Ordinal);
    }

    private static readonly ConcurrentDictionary<string, Feed> Feeds = new(StringComparer.Ordinal);

    public Task AppendAsync(string tenant, IReadOnlyList<ChangeEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var feed = Feeds.GetOrAdd(tenant, _ => new Feed());
        lock (feed)
        {
            // All or none, like a transaction: check every event before storing any.
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                if (feed.Events.ContainsKey(change.Sequence) || feed.Keys.ContainsKey(change.Key) || !keys.Add(change.Key))
                {
                    throw new InvalidOperationException($"Event {change.Sequence} ({change.Key}) of {tenant} is stored already.");
                }
            }
            foreach (var change in changes)
            {
                feed.Events.Add(change.Sequence, change);
                feed.Keys[change.Key] = change.Sequence;
            }
        }
        return Task.CompletedTask;
    }

    public Task<long?> FindAsync(string tenant, string key)
    {
        if (!Feeds.TryGetValue(tenant, out var feed))
        {
            return Task.FromResult<long?>(null);
        }
        lock (feed)
        {
            return Task.FromResult<long?>(feed.Keys.TryGetValue(key, out var sequence) ? sequence : null);
        }
    }

    public Task<long> HeadAsync(string tenant)
    {
        if (!Feeds.TryGetValue(tenant, out var feed))
        {
            return Task.FromResult(0L);
        }
        lock (feed)
        {
            return Task.FromResult(feed.Events.Count == 0 ? 0 : feed.Events.Keys[^1]);
        }
    }

    public Task<IReadOnlyList<ChangeEvent>> ReadAsync(string tenant, long after, int max)
    {
        if (!Feeds.TryGetValue(tenant, out var feed))
        {
            return Task.FromResult<IReadOnlyList<ChangeEvent>>([]);
        }
        lock (feed)
        {
            IReadOnlyList<ChangeEvent> page = [.. feed.Events.Values.SkipWhile(e => e.Sequence <= after).Take(max)];
            return Task.FromResult(page);
        }
    }

    public Task TrimAsync(string tenant, DateTimeOffset cutoff, int keep)
    {
        if (Feeds.TryGetValue(tenant, out var feed))
        {
            lock (feed)
            {
                // The newest event stays whatever its age, so the head (the next sequence) survives a restart.
                while (feed.Events.Count > 1 && (feed.Events.Count > keep || feed.Events.Values[0].Time < cutoff))
                {
                    var oldest = feed.Events.Values[0];
                    feed.Events.RemoveAt(0);
                    feed.Keys.Remove(oldest.Key);
                }
            }
        }
        return Task.CompletedTask;
    }
}
