using Orleans.Concurrency;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// A tenant's change feed (key <see cref="GrainKeys.Tenant"/>): numbers every change of every resource in the order
/// the resources made them. Holds only the last number; the events live in the event store.
/// </summary>
[Alias("rfpio.IEventFeedGrain")]
public interface IEventFeedGrain : IGrainWithStringKey
{
    /// <summary>Appends an event and returns its sequence. <paramref name="repair"/>: it may be there already (a write repaired after a crash); then its first sequence is kept.</summary>
    [Alias("Append")]
    Task<long> AppendAsync(ChangeEvent change, bool repair);

    /// <summary>The last sequence given out (0 for none).</summary>
    [Alias("Head"), ReadOnly]
    Task<long> HeadAsync();

    /// <summary>The tenant's streams changed: read them again before the next notification.</summary>
    [Alias("StreamsChanged")]
    Task StreamsChangedAsync();
}
