namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// What a directory shard keeps of a resource for listing and filtering: a small JSON rendering of its type's
/// summary attributes (<see cref="ResourceType.SummaryAttributes"/>) with <c>id</c> and <c>meta</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("rfpio.resource-summary")]
public sealed record ResourceSummary([property: Id(0)] string Id, [property: Id(1)] string Json);
