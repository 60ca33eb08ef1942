namespace RfpioGateway.Scim.Protocol;

/// <summary>
/// Where a cursor walk (RFC 9865) stands: after <see cref="AfterId"/> in shard <see cref="Shard"/> of
/// <see cref="ShardCount"/>. Resources are in (shard, id) order, and a resource's place in it depends on its id
/// alone, so a walk skips and repeats nothing that existed throughout, whatever is created or deleted meanwhile.
/// </summary>
public sealed record CursorPosition(int ShardCount, int Shard, string AfterId, DateTimeOffset Issued);
