namespace RfpioGateway.Grains.Abstractions;

/// <summary>A run of summaries from one shard, in id order, after a filter.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.shard-page")]
public sealed record ShardPage([property: Id(0)] IReadOnlyList<ResourceSummary> Resources);
