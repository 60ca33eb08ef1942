using System.Threading.RateLimiting;

namespace RfpioGateway.TenantAdmin.Console;

/// <summary>
/// Throttles failed console sign-ins, per source address and tenant, and per tenant, without locking the real admin
/// out. Only failures spend permits. A source that has used up its own failures waits; once a tenant's failures from
/// all sources are used up, only sources that have failed before are refused, so a flood of wrong credentials from
/// anywhere cannot keep an admin who has not failed from signing in. The gateway sends a tenant to one silo, so
/// these per-silo counts are the tenant's.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    internal const int SourceFailures = 5;
    internal const int TenantFailures = 30;

    private readonly PartitionedRateLimiter<(string Tenant, string Source)> _perSource = PartitionedRateLimiter.Create<(string Tenant, string Source), string>(
        key => RateLimitPartition.GetTokenBucketLimiter(key.Tenant + " " + key.Source, _ => Bucket(SourceFailures, TimeSpan.FromSeconds(12))));

    private readonly PartitionedRateLimiter<string> _perTenant = PartitionedRateLimiter.Create<string, string>(
        tenant => RateLimitPartition.GetTokenBucketLimiter(tenant, _ => Bucket(TenantFailures, TimeSpan.FromSeconds(10))));

    /// <summary>Whether this source may try a credential for this tenant now.</summary>
    public bool MayTry(string tenant, string source)
    {
        var own = _perSource.GetStatistics((tenant, source))?.CurrentAvailablePermits ?? SourceFailures;
        if (own < 1)
        {
            return false;
        }
        // A source that has not failed is always let through to the check; one that has shares the tenant's failures.
        return own >= SourceFailures || (_perTenant.GetStatistics(tenant)?.CurrentAvailablePermits ?? TenantFailures) >= 1;
    }

    public void Failed(string tenant, string source)
    {
        _perSource.AttemptAcquire((tenant, source)).Dispose();
        _perTenant.AttemptAcquire(tenant).Dispose();
    }

    public void Dispose()
    {
        _perSource.Dispose();
        _perTenant.Dispose();
    }

    private static TokenBucketRateLimiterOptions Bucket(int failures, TimeSpan refillEach) => new()
    {
        TokenLimit = failures,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = refillEach,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
