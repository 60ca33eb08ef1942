using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Silo.Auth;

/// <summary>
/// Decides a (tenant, token) pair. Verdicts are cached per silo for <see cref="AuthOptions.VerdictCacheSeconds"/>,
/// so a tenant's requests do not all queue at its grain; a change made through this silo's operator API drops
/// this silo's cached verdicts at once, and reaches the other silos when their entries expire.
/// </summary>
public sealed class TenantAuthorizer(IGrainFactory grains, TokenService tokens, IMemoryCache cache, IOptions<AuthOptions> options)
{
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(Math.Max(0, options.Value.VerdictCacheSeconds));

    public async Task<TenantAccess> AuthorizeAsync(TenantId tenant, string token)
    {
        var digest = tokens.Digest(token);
        var key = (tenant.Value, Convert.ToHexString(digest), Generation(tenant));
        if (cache.TryGetValue(key, out TenantAccess cached))
        {
            return cached;
        }
        var verdict = await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).AuthorizeAsync(digest);
        if (_ttl > TimeSpan.Zero)
        {
            cache.Set(key, verdict, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _ttl, Size = 1 });
        }
        return verdict;
    }

    /// <summary>Forgets this silo's verdicts for a tenant (after a token or switch change made here).</summary>
    public void Invalidate(TenantId tenant) =>
        cache.Set(("generation", tenant.Value), Generation(tenant) + 1, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _ttl + TimeSpan.FromSeconds(1), Size = 1 });

    private int Generation(TenantId tenant) => cache.TryGetValue(("generation", tenant.Value), out int generation) ? generation : 0;
}
