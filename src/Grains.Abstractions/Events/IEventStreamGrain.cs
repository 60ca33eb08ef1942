namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// One event stream of a tenant (key <see cref="GrainKeys.Stream"/>): its configuration and how far the receiver has
/// acknowledged the tenant's feed (RFC 8936). State is bounded: a cursor and the acknowledged sequences above it, at
/// most one poll window.
/// </summary>
[Alias("rfpio.IEventStreamGrain")]
public interface IEventStreamGrain : IGrainWithStringKey
{
    /// <summary>Creates the stream, starting after the feed's current head.</summary>
    [Alias("Create")]
    Task<EventStreamStatus> CreateAsync(EventStreamConfig config);

    [Alias("Get")]
    Task<EventStreamStatus> GetAsync();

    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>
    /// Records acknowledgements and errors (sequences of earlier SETs), then hands out up to <paramref name="max"/>
    /// unacknowledged events the stream wants. Events it does not want are acknowledged by themselves.
    /// </summary>
    [Alias("Poll")]
    Task<PolledEvents> PollAsync(IReadOnlyList<long> acknowledged, IReadOnlyDictionary<long, string> errors, int max);

    /// <summary>The feed moved: a push stream delivers what is new (a poll stream ignores it).</summary>
    [Alias("Notify"), Orleans.Concurrency.OneWay]
    Task NotifyAsync();

    /// <summary>A push stream that gave up retrying (failing) starts again from where it stopped.</summary>
    [Alias("Resume")]
    Task<EventStreamStatus> ResumeAsync();

    /// <summary>
    /// Delivers (push) or hands out (poll) again every event from <paramref name="sequence"/> on, as they are still
    /// in the feed, and resumes a failing push stream; for a receiver that lost what it had accepted.
    /// </summary>
    [Alias("RedeliverFrom")]
    Task<EventStreamStatus> RedeliverFromAsync(long sequence);
}
