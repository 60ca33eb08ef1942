using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// One RFC 8936 poll stream. An event is handed out until it is acknowledged (or reported in <c>setErrs</c>); events
/// are handed out oldest first and only within <see cref="Window"/> sequences above the cursor, so what the stream
/// keeps is bounded whatever the receiver does.
/// </summary>
[GrainType("eventstream")]
internal sealed class EventStreamGrain(
    [PersistentState("stream", StorageNames.Scim)] IPersistentState<EventStreamState> state,
    IEventStore store,
    TimeProvider time) : Grain, IEventStreamGrain
{
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
        }
        return Status();
    }

    public Task<EventStreamStatus> GetAsync() => Task.FromResult(Status());

    public async Task DeleteAsync()
    {
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
        if (!state.State.Exists)
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
            ? new EventStreamStatus(true, current.Config, current.Created, current.StartAfter, current.Cursor, current.LastPoll, current.LastError, current.Errors)
            : new EventStreamStatus(false, null, null, 0, 0, null, null, 0);
    }
}
