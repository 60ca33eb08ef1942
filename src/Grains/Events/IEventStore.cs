using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// Where tenants' change feeds live: one row per event, keyed by tenant and sequence, with the event's
/// <see cref="ChangeEvent.Key"/> unique per tenant. Every read is bounded by its <c>max</c>, never by the feed's length.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Appends events whose <see cref="ChangeEvent.Sequence"/>s the feed assigned, consecutive and in order. All or
    /// none where the store has transactions big enough (SQLite, PostgreSQL, memory); Azure Tables commits them in
    /// entity-group transactions of a few events each, so a failure can leave a prefix stored, which the feed's
    /// repair handles as it does a failed single append (it re-reads the head; a writer repairing finds its key).
    /// </summary>
    Task AppendAsync(string tenant, IReadOnlyList<ChangeEvent> changes);

    /// <summary>The sequence of the event with this key, if the feed has it.</summary>
    Task<long?> FindAsync(string tenant, string key);

    /// <summary>The highest sequence stored (0 for none).</summary>
    Task<long> HeadAsync(string tenant);

    /// <summary>Up to <paramref name="max"/> events after <paramref name="after"/>, oldest first.</summary>
    Task<IReadOnlyList<ChangeEvent>> ReadAsync(string tenant, long after, int max);

    /// <summary>Drops a tenant's events older than <paramref name="cutoff"/> and those beyond the newest <paramref name="keep"/>.</summary>
    Task TrimAsync(string tenant, DateTimeOffset cutoff, int keep);
}
