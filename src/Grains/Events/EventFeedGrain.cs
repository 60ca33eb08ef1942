using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// Numbers a tenant's changes. The only writer of its tenant's feed, so sequences have no gaps: a number is taken
/// only once its row is stored, and a failed append re-reads the head on the next activation rather than guess.
/// Calls interleave (every method changes state only between awaits): appends that arrive while a batch is being
/// stored wait and go to the store together in the next one, so a busy tenant's events cost one store write per
/// batch instead of one each, and the feed is not a queue of single commits every change of the tenant waits in.
/// Interleaving the whole grain, not only appends, keeps a steady stream of appends from starving its other calls.
/// </summary>
[GrainType("eventfeed"), Orleans.Placement.PreferLocalPlacement, Orleans.Concurrency.Reentrant]
internal sealed class EventFeedGrain(IEventStore store, TimeProvider time, Microsoft.Extensions.Options.IOptions<EventFeedOptions> options) : Grain, IEventFeedGrain
{
    // The tenant's streams, re-read every few seconds and whenever the operator API changes them.
    private static readonly TimeSpan StreamsLifetime = TimeSpan.FromSeconds(10);

    // Bounds one store write (and an Azure Table batch's size); the rest waits for the next.
    private const int MaxBatch = 64;

    private readonly List<Waiting> _waiting = [];
    private Task _writing = Task.CompletedTask;
    private Exception? _broken;

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

    public Task<long> AppendAsync(ChangeEvent change, bool repair)
    {
        ArgumentNullException.ThrowIfNull(change);
        var waiting = new Waiting(change, repair);
        _waiting.Add(waiting);
        if (_writing.IsCompleted)
        {
            // Runs on this activation's scheduler like any turn; every caller is answered from inside it.
            _writing = WriteWaitingAsync();
        }
        return waiting.Done.Task;
    }

    private async Task WriteWaitingAsync()
    {
        while (_waiting.Count > 0)
        {
            var batch = _waiting.Take(MaxBatch).ToList();
            _waiting.RemoveRange(0, batch.Count);
            await WriteAsync(batch);
            await NotifyStreamsAsync();
            await TrimAsync();
        }
    }

    /// <summary>Stores one batch and answers its callers; never throws.</summary>
    private async Task WriteAsync(List<Waiting> batch)
    {
        if (_broken is not null)
        {
            // An earlier batch may or may not be stored, so the head is unknown until the next activation reads it.
            Fail(batch, _broken);
            return;
        }
        var numbered = new List<(Waiting Waiting, ChangeEvent Change)>(batch.Count);
        try
        {
            foreach (var waiting in batch)
            {
                if (waiting.Repair && await store.FindAsync(_tenant, waiting.Change.Key) is { } existing)
                {
                    waiting.Done.TrySetResult(existing);
                    continue;
                }
                numbered.Add((waiting, waiting.Change with { Sequence = _head + 1 + numbered.Count }));
            }
            if (numbered.Count > 0)
            {
                await store.AppendAsync(_tenant, [.. numbered.Select(n => n.Change)]);
            }
        }
#pragma warning disable CA1031 // The store's failure is the callers': each gets it, and the feed reloads.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _broken = exception;
            DeactivateOnIdle();
            Fail(batch, exception);
            return;
        }
        _head += numbered.Count;
        foreach (var (waiting, change) in numbered)
        {
            waiting.Done.TrySetResult(change.Sequence);
        }
    }

    private static void Fail(List<Waiting> batch, Exception exception)
    {
        foreach (var waiting in batch)
        {
            waiting.Done.TrySetException(exception);
        }
    }

    private sealed class Waiting(ChangeEvent change, bool repair)
    {
        public ChangeEvent Change { get; } = change;

        public bool Repair { get; } = repair;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Tells the tenant's streams the feed moved (one-way: a slow receiver never holds up a write). After the callers
    /// are answered, so a failure here is nobody's: the streams are read again before the next batch's notice.
    /// </summary>
    private async Task NotifyStreamsAsync()
    {
        var now = time.GetUtcNow();
        try
        {
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
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _streamsRead = DateTimeOffset.MinValue;
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
