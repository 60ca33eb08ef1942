namespace RfpioGateway.Grains.Abstractions;

/// <summary>What a stream delivers: how (poll or push, and where to), which event URIs (all when empty), and notice or full.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.event-stream-config")]
public sealed record EventStreamConfig(
    [property: Id(0)] string Delivery,
    [property: Id(1)] IReadOnlyList<string> Events,
    [property: Id(2)] bool Full,
    [property: Id(3)] string Audience,
    [property: Id(4)] string? Endpoint = null)
{
    public bool Push => Delivery == "push";
}
