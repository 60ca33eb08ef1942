using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// One event stream. Poll (RFC 8936): an event is handed out until it is acknowledged (or reported in <c>setErrs</c>),
/// oldest first and only within <see cref="Window"/> sequences above the cursor, so what the stream keeps is bounded
/// whatever the receiver does. Push (RFC 8935): events go to the receiver one at a time in feed order, the cursor
/// moving past each one it accepted, so order per resource holds across retries; a receiver that fails is retried
/// with exponential backoff and jitter from a grain timer, never on a SCIM request's path, until
/// <c>EventFeed:GiveUpAfterHours</c>, then the stream is marked failing until resumed.
/// </summary>
[GrainType("eventstream")]
internal sealed class EventStreamGrain(
    [PersistentState("stream", StorageNames.Scim)] IPersistentState<EventStreamState> state,
    IEventStore store,
    IEventDelivery delivery,
    Microsoft.Extensions.Options.IOptions<EventFeedOptions> pushOptions,
    TimeProvider time) : Grain, IEventStreamGrain
{
    private readonly EventFeedOptions _push = pushOptions.Value;
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A push stream catches up whenever it wakes (a silo restart loses its timer, the next notification or read wakes it).
        if (IsPushing)
        {
            Schedule(TimeSpan.Zero);
        }
        return Task.CompletedTask;
    }

    private bool IsPushing => state.State is { Exists: true, Failing: false, Config.Push: true };

    public Task NotifyAsync()
    {
        if (IsPushing && _timer is null)
        {
            Schedule(TimeSpan.Zero);
        }
        return Task.CompletedTask;
    }

    public async Task<EventStreamStatus> ResumeAsync()
    {
        if (state.State is { Exists: true, Failing: true })
        {
            state.State = state.State with { Failing = false, FailingSince = null, Attempts = 0 };
            await state.WriteStateAsync();
            Schedule(TimeSpan.Zero);
        }
        return Status();
    }

    public async Task<EventStreamStatus> RedeliverFromAsync(long sequence)
    {
        if (state.State.Exists)
        {
            // Never before the stream began: it was created after the events below its start.
            var cursor = Math.Max(state.State.StartAfter, sequence - 1);
            state.State = state.State with { Cursor = cursor, Acknowledged = [], Failing = false, FailingSince = null, Attempts = 0 };
            await state.WriteStateAsync();
            if (IsPushing)
            {
                Schedule(TimeSpan.Zero);
            }
        }
        return Status();
    }

    private void Schedule(TimeSpan due)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(PushAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>Pushes up to one batch in order; schedules the next batch, or a retry, or nothing when caught up.</summary>
    private async Task PushAsync(CancellationToken cancellationToken)
    {
        // Disposed only after this turn: disposing a timer cancels the callback it is running.
        using var running = _timer;
        _timer = null;
        if (!IsPushing)
        {
            return;
        }
        var page = await store.ReadAsync(Tenant, state.State.Cursor, Math.Max(1, _push.BatchSize));
        var moved = false;
        foreach (var change in page)
        {
            if (cancellationToken.IsCancellationRequested || !IsPushing)
            {
                break;
            }
            var current = state.State;
            var outcome = Wanted(current.Config!, change)
                ? await delivery.PushAsync(GrainKeys.ParseTenantPrefix(this.GetPrimaryKeyString()), current.Config!, change, cancellationToken)
                : PushOutcome.Accepted;
            var now = time.GetUtcNow();
            if (!outcome.Delivered)
            {
                var since = current.FailingSince ?? now;
                var failing = now - since > TimeSpan.FromHours(_push.GiveUpAfterHours);
                state.State = current with { FailingSince = since, Attempts = current.Attempts + 1, LastError = outcome.Error, Failing = failing };
                // Also keeps how far this batch got, so a retry starts at the event that failed.
                await state.WriteStateAsync(CancellationToken.None);
                if (!failing)
                {
                    Schedule(Backoff(current.Attempts + 1));
                }
                return;
            }
            state.State = current with
            {
                Cursor = change.Sequence,
                LastDelivery = Wanted(current.Config!, change) ? now : current.LastDelivery,
                FailingSince = null,
                Attempts = 0,
                LastError = outcome.Error ?? current.LastError,
                Errors = current.Errors + (outcome.Error is null ? 0 : 1),
            };
            moved = true;
        }
        if (moved)
        {
            // One write per batch, not per event: at-least-once allows redelivering what a crash before it leaves.
            await state.WriteStateAsync(CancellationToken.None);
        }
        if (page.Count >= Math.Max(1, _push.BatchSize) && IsPushing && !cancellationToken.IsCancellationRequested)
        {
            Schedule(TimeSpan.Zero);
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var delay = _push.RetryBaseMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = Math.Min(delay, _push.MaxRetryDelaySeconds * 1000.0);
        return TimeSpan.FromMilliseconds(capped * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
    /// <summary>How far above the cursor events are handed out; the most a receiver can hold unacknowledged.</summary>
    internal const int Window = 1000;

    private string Tenant => GrainKeys.ParseTenantPrefix(this.GetPrimaryKeyString()).Value;

    public async Task<EventStreamStatus> CreateAsync(EventStreamConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!state.State.Exists)
        {
            var head = await GrainFactory.Get<IEventFeedGrain>(Tenant).HeadAsync();
            state.State = new EventStreamState { Exists = true, Config = config, Created = time.GetUtcNow(), StartAfter = head, Cursor = head };
            await state.WriteStateAsync();
            if (IsPushing)
            {
                Schedule(TimeSpan.Zero);
            }
        }
        return Status();
    }

    public Task<EventStreamStatus> GetAsync() => Task.FromResult(Status());

    public async Task DeleteAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (state.State.Exists)
        {
            await state.ClearStateAsync();
            state.State = new EventStreamState();
        }
    }

    public async Task<PolledEvents> PollAsync(IReadOnlyList<long> acknowledged, IReadOnlyDictionary<long, string> errors, int max)
    {
        ArgumentNullException.ThrowIfNull(acknowledged);
        ArgumentNullException.ThrowIfNull(errors);
        if (state.State is not { Exists: true, Config.Push: false })
        {
            return new PolledEvents([], false);
        }
        var current = state.State;
        var acked = new SortedSet<long>(current.Acknowledged);
        var cursor = current.Cursor;
        foreach (var sequence in acknowledged.Concat(errors.Keys))
        {
            if (sequence > cursor && sequence <= cursor + Window)
            {
                acked.Add(sequence);
            }
        }
        var lastError = errors.Count > 0 ? errors.Last().Value : current.LastError;

        var handed = new List<ChangeEvent>();
        var more = false;
        var after = cursor;
        while (handed.Count < max && !more)
        {
            var page = await store.ReadAsync(Tenant, after, Math.Min(Window, Math.Max(max, 100)));
            if (page.Count == 0)
            {
                break;
            }
            foreach (var change in page)
            {
                after = change.Sequence;
                if (change.Sequence > cursor + Window)
                {
                    more = true;
                    break;
                }
                if (acked.Contains(change.Sequence))
                {
                    continue;
                }
                if (!Wanted(current.Config!, change))
                {
                    // Nobody will acknowledge what the stream never hands out.
                    acked.Add(change.Sequence);
                    continue;
                }
                if (handed.Count == max)
                {
                    more = true;
                    break;
                }
                handed.Add(change);
            }
        }
        while (acked.Count > 0 && acked.Min == cursor + 1)
        {
            cursor++;
            acked.Remove(cursor);
        }
        var changed = cursor != current.Cursor || !acked.SetEquals(current.Acknowledged) || errors.Count > 0;
        state.State = current with
        {
            Cursor = cursor,
            Acknowledged = [.. acked],
            LastPoll = time.GetUtcNow(),
            LastError = lastError,
            Errors = current.Errors + errors.Count,
        };
        if (changed)
        {
            // A poll that only looks (a long poll's rounds) writes nothing; its time is kept in memory.
            await state.WriteStateAsync();
        }
        return new PolledEvents(handed, more);
    }

    private static bool Wanted(EventStreamConfig config, ChangeEvent change) =>
        config.Events.Count == 0 || config.Events.Contains(EventUris.Of(change.Kind, false)) || config.Events.Contains(EventUris.Of(change.Kind, true));

    private EventStreamStatus Status()
    {
        var current = state.State;
        return current.Exists
            ? new EventStreamStatus(true, current.Config, current.Created, current.StartAfter, current.Cursor, current.LastPoll, current.LastError,
                current.Errors, current.LastDelivery, current.FailingSince, current.Failing)
            : new EventStreamStatus(false, null, null, 0, 0, null, null, 0);
    }
}
