using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.ScimApi.Auth;

/// <summary>The verdict on a (tenant, token) pair, and the tenant's shard count when the token is the tenant's.</summary>
internal readonly record struct TenantVerdict(TenantAccess Access, int ShardCount);
