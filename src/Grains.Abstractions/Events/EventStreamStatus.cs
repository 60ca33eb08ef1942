namespace RfpioGateway.Grains.Abstractions;

/// <summary>Where a stream stands: the feed's events below <see cref="Acknowledged"/> are all acknowledged.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.event-stream-status")]
public sealed record EventStreamStatus(
    [property: Id(0)] bool Exists,
    [property: Id(1)] EventStreamConfig? Config,
    [property: Id(2)] DateTimeOffset? Created,
    [property: Id(3)] long StartAfter,
    [property: Id(4)] long Acknowledged,
    [property: Id(5)] DateTimeOffset? LastPoll,
    [property: Id(6)] string? LastError,
    [property: Id(7)] long Errors,
    [property: Id(8)] DateTimeOffset? LastDelivery = null,
    [property: Id(9)] DateTimeOffset? FailingSince = null,
    [property: Id(10)] bool Failing = false);
