using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// Numbers a tenant's changes. The only writer of its tenant's feed, so sequences have no gaps: a number is taken
/// only once its row is stored, and a failed append re-reads the head on the next activation rather than guess.
/// </summary>
[GrainType("eventfeed"), Orleans.Placement.PreferLocalPlacement]
internal sealed class EventFeedGrain(IEventStore store, TimeProvider time, Microsoft.Extensions.Options.IOptions<EventFeedOptions> options) : Grain, IEventFeedGrain
{
    // The tenant's streams, re-read every few seconds and whenever the operator API changes them.
    private static readonly TimeSpan StreamsLifetime = TimeSpan.FromSeconds(10);

    private string _tenant = "";
    private long _head;
    // Retention is applied at most this often per feed, so trimming costs nothing per event.
    private static readonly TimeSpan TrimEvery = TimeSpan.FromMinutes(1);

    private IReadOnlyList<string> _streams = [];
    private DateTimeOffset _trimmed = DateTimeOffset.MinValue;
    private DateTimeOffset _streamsRead = DateTimeOffset.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenant = this.GetPrimaryKeyString();
        _head = await store.HeadAsync(_tenant);
    }

    public async Task<long> AppendAsync(ChangeEvent change, bool repair)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (repair && await store.FindAsync(_tenant, change.Key) is { } existing)
        {
            return existing;
        }
        var next = _head + 1;
        try
        {
            await store.AppendAsync(_tenant, change with { Sequence = next });
        }
        catch
        {
            // The row may or may not be there: the next activation reads the head again.
            DeactivateOnIdle();
            throw;
        }
        _head = next;
        await NotifyStreamsAsync();
        await TrimAsync();
        return next;
    }

    /// <summary>Tells the tenant's streams the feed moved (one-way: a slow receiver never holds up a write).</summary>
    private async Task NotifyStreamsAsync()
    {
        var now = time.GetUtcNow();
        if (now - _streamsRead > StreamsLifetime)
        {
            _streams = await GrainFactory.Get<ITenantGrain>(GrainKeys.Tenant(TenantId.Parse(_tenant))).GetStreamsAsync();
            _streamsRead = now;
        }
        foreach (var stream in _streams)
        {
            await GrainFactory.Get<IEventStreamGrain>(GrainKeys.Stream(TenantId.Parse(_tenant), stream)).NotifyAsync();
        }
    }

    public Task<long> HeadAsync() => Task.FromResult(_head);

    private async Task TrimAsync()
    {
        var now = time.GetUtcNow();
        if (now - _trimmed < TrimEvery)
        {
            return;
        }
        _trimmed = now;
        var retain = options.Value;
        try
        {
            await store.TrimAsync(_tenant, now.AddDays(-Math.Max(0, retain.RetainDays)), Math.Max(1, retain.RetainCount));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Retention is best effort: the next minute tries again, and the append it follows is stored already.
        }
    }

    public Task StreamsChangedAsync()
    {
        _streamsRead = DateTimeOffset.MinValue;
        return Task.CompletedTask;
    }
}
