namespace RfpioGateway.Grains.Abstractions;

/// <summary>A resource as stored: its canonical attributes (see <c>ScimDocument</c>) and what the service owns.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.resource-snapshot")]
public sealed record ResourceSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] byte[] Document,
    [property: Id(2)] long Version,
    [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] DateTimeOffset LastModified);
