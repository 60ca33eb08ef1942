using Microsoft.Extensions.Caching.Memory;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.ScimApi.Auth;

/// <summary>
/// Decides a (tenant, token) pair. Verdicts are cached per silo for <see cref="AuthOptions.VerdictCacheSeconds"/>,
/// so a tenant's requests do not all queue at its grain; a change made through this silo's operator API or console
/// takes effect here on the next request (<see cref="VerdictChanges"/>), and reaches other silos when their entries expire.
/// </summary>
internal sealed class TenantAuthorizer(IGrainFactory grains, TokenService tokens, IMemoryCache cache, VerdictChanges changes)
{
    /// <summary>
    /// The verdict, with the tenant's shard count (<see cref="TenantShards"/>) when the token is right: read together
    /// and cached together, so the count is never asked again while the verdict stands.
    /// </summary>
    public async Task<TenantVerdict> AuthorizeAsync(TenantId tenant, string token)
    {
        var digest = tokens.Digest(token);
        var key = (tenant.Value, Convert.ToHexString(digest));
        if (cache.TryGetValue(key, out (TenantVerdict Verdict, long Stamp) cached) && changes.IsCurrent(tenant, cached.Stamp))
        {
            return cached.Verdict;
        }
        var (stamp, expires) = changes.NextVerdict();
        var grain = grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant));
        var access = await grain.AuthorizeAsync(digest);
        // Only for the tenant's own token: wrong tokens cost the tenant grain no more than they did.
        var shardCount = access is TenantAccess.Denied ? 0 : Math.Max(1, (await grain.GetInfoAsync()).ShardCount);
        var verdict = new TenantVerdict(access, shardCount);
        if (changes.Ttl > TimeSpan.Zero)
        {
            cache.Set(key, (verdict, stamp), new MemoryCacheEntryOptions { AbsoluteExpiration = expires, Size = 1 });
        }
        return verdict;
    }

    /// <summary>Stops using this silo's verdicts for a tenant read before now (after a token or switch change made here).</summary>
    public void Invalidate(TenantId tenant) => changes.Record(tenant);
}
