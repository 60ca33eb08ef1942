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
    public async Task<TenantAccess> AuthorizeAsync(TenantId tenant, string token)
    {
        var digest = tokens.Digest(token);
        var key = (tenant.Value, Convert.ToHexString(digest));
        if (cache.TryGetValue(key, out (TenantAccess Access, long Stamp) cached) && changes.IsCurrent(tenant, cached.Stamp))
        {
            return cached.Access;
        }
        var (stamp, expires) = changes.NextVerdict();
        var verdict = await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).AuthorizeAsync(digest);
        if (changes.Ttl > TimeSpan.Zero)
        {
            cache.Set(key, (verdict, stamp), new MemoryCacheEntryOptions { AbsoluteExpiration = expires, Size = 1 });
        }
        return verdict;
    }

    /// <summary>Stops using this silo's verdicts for a tenant read before now (after a token or switch change made here).</summary>
    public void Invalidate(TenantId tenant) => changes.Record(tenant);
}
