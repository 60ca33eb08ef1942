using System.Collections.Concurrent;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Events;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// The event store (in memory unless given another), with its appends counted and failed like grain-state writes,
/// and a tenant's first append held until a test lets it go.
/// </summary>
public sealed class FaultyEventStore(IEventStore inner) : IEventStore
{
    private readonly IEventStore _inner = inner;

    public FaultyEventStore() : this(new MemoryEventStore())
    {
    }

    // Static, like the fault plans: a cluster's silos each have a store, and a test cannot know which one serves a feed.
    private static readonly ConcurrentDictionary<string, int> AppendCalls = new();
    private static readonly ConcurrentDictionary<string, Task> Held = new();

    /// <summary>How many times a store was asked to append for <paramref name="tenant"/>.</summary>
    public static int Calls(string tenant) => AppendCalls.GetValueOrDefault(tenant);

    /// <summary>Holds <paramref name="tenant"/>'s next append until <paramref name="release"/> completes.</summary>
    public static void Hold(string tenant, Task release) => Held[tenant] = release;

    public async Task AppendAsync(string tenant, IReadOnlyList<ChangeEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        AppendCalls.AddOrUpdate(tenant, 1, (_, n) => n + 1);
        if (Held.TryRemove(tenant, out var release))
        {
            await release;
        }
        // A fault on any event fails the whole append before anything is stored, as a failed transaction would.
        foreach (var change in changes)
        {
            FaultyGrainStorage.MaybeFail(tenant, $"event {change.Key} of {tenant}", "write");
        }
        await _inner.AppendAsync(tenant, changes);
    }

    public Task<long?> FindAsync(string tenant, string key) => _inner.FindAsync(tenant, key);

    public Task<long> HeadAsync(string tenant) => _inner.HeadAsync(tenant);

    public Task<IReadOnlyList<ChangeEvent>> ReadAsync(string tenant, long after, int max) => _inner.ReadAsync(tenant, after, max);

    public Task TrimAsync(string tenant, DateTimeOffset cutoff, int keep) => _inner.TrimAsync(tenant, cutoff, keep);
}
