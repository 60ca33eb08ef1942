using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.ScimApi.Auth;

/// <summary>
/// The stamps <see cref="TenantAuthorizer"/> orders verdicts and changes by. Every verdict takes a stamp before its
/// grain call; a change made on this silo takes a later one for its tenant, and verdicts older than that are not
/// used. Stamps come from one counter and never repeat, so a change can never land on a verdict cached before it
/// (a per-tenant generation that expired and restarted from 0 could). A change is remembered until every verdict
/// that could predate it has expired, which is <see cref="AuthOptions.VerdictCacheSeconds"/> after its stamp.
/// </summary>
internal sealed class VerdictChanges(TimeProvider time, IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<string, (long Stamp, DateTimeOffset At)> _changes = new(StringComparer.Ordinal);
    private long _clock;

    public TimeSpan Ttl { get; } = TimeSpan.FromSeconds(Math.Max(0, options.Value.VerdictCacheSeconds));

    /// <summary>A stamp for a verdict about to be read, and the instant its cache entry must expire.</summary>
    public (long Stamp, DateTimeOffset Expires) NextVerdict()
    {
        // Time before stamp here, stamp before time in Record: a verdict older than a change never outlives it.
        var now = time.GetUtcNow();
        return (Interlocked.Increment(ref _clock), now + Ttl);
    }

    /// <summary>Records a change to a tenant's token or switch made on this silo.</summary>
    public void Record(TenantId tenant) => _changes[tenant.Value] = (Interlocked.Increment(ref _clock), time.GetUtcNow());

    /// <summary>Whether a verdict with this stamp was read after the tenant's last change here.</summary>
    public bool IsCurrent(TenantId tenant, long stamp) => !_changes.TryGetValue(tenant.Value, out var change) || stamp > change.Stamp;

    public int Count => _changes.Count;

    /// <summary>Forgets changes older than any verdict still cached, so an idle silo keeps nothing per tenant.</summary>
    public void Sweep()
    {
        var horizon = time.GetUtcNow() - Ttl;
        foreach (var entry in _changes)
        {
            if (entry.Value.At < horizon)
            {
                _changes.TryRemove(entry);
            }
        }
    }
}
