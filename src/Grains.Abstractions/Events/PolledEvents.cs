namespace RfpioGateway.Grains.Abstractions;

/// <summary>Events a poll hands out (oldest first), and whether more were waiting.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.polled-events")]
public sealed record PolledEvents([property: Id(0)] IReadOnlyList<ChangeEvent> Events, [property: Id(1)] bool MoreAvailable);
