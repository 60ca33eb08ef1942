namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// What a directory shard keeps of a user for listing and filtering: a small JSON rendering of the summary
/// attributes (see <c>UserSummaries</c>) with <c>id</c> and <c>meta</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("rfpio.user-summary")]
public sealed record UserSummary([property: Id(0)] string Id, [property: Id(1)] string Json);
