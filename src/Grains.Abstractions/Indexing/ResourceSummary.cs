namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// What a directory shard keeps of a resource for listing and filtering: its document as rendered, with <c>id</c>
/// and <c>meta</c> (without the attributes the membership store holds, <see cref="ResourceType.DerivedAttributes"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("rfpio.resource-summary")]
public sealed record ResourceSummary([property: Id(0)] string Id, [property: Id(1)] string Json);
