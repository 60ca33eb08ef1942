using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Events;

namespace RfpioGateway.Grains.Tests;

/// <summary>The event store (in memory unless given another), with its appends counted and failed like grain-state writes.</summary>
public sealed class FaultyEventStore(IEventStore inner) : IEventStore
{
    private readonly IEventStore _inner = inner;

    public FaultyEventStore() : this(new MemoryEventStore())
    {
    }

    public Task AppendAsync(string tenant, ChangeEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        FaultyGrainStorage.MaybeFail(tenant, $"event {change.Key} of {tenant}", "write");
        return _inner.AppendAsync(tenant, change);
    }

    public Task<long?> FindAsync(string tenant, string key) => _inner.FindAsync(tenant, key);

    public Task<long> HeadAsync(string tenant) => _inner.HeadAsync(tenant);

    public Task<IReadOnlyList<ChangeEvent>> ReadAsync(string tenant, long after, int max) => _inner.ReadAsync(tenant, after, max);

    public Task TrimAsync(string tenant, DateTimeOffset cutoff, int keep) => _inner.TrimAsync(tenant, cutoff, keep);
}
