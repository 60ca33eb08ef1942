namespace RfpioGateway.Grains;

/// <summary>
/// The summaries of one shard's users, by id. Its size is users ÷ shards; the tenant's shard count is chosen at
/// creation so that stays bounded (see docs/architecture.md).
/// </summary>
[GenerateSerializer, Alias("rfpio.shard-state")]
public sealed record ShardState
{
    [Id(0)] public SortedDictionary<string, string> Summaries { get; init; } = new(StringComparer.Ordinal);
}
