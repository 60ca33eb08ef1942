namespace RfpioGateway.Grains.Abstractions;

/// <summary>The answer of a uniqueness key to a reservation: granted, or held by another resource (named).</summary>
[GenerateSerializer, Immutable, Alias("rfpio.reservation")]
public sealed record Reservation([property: Id(0)] bool Granted, [property: Id(1)] string? Owner);
