using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RfpioGateway.Gateway.Edge;
using RfpioGateway.Gateway.Hosting;

namespace RfpioGateway.Gateway.RateLimiting;

/// <summary>
/// A token bucket per tenant, then one concurrency cap for the whole gateway. The bucket comes first so a flooding
/// tenant is refused before it can hold any of the shared slots. Partitions live in ASP.NET Core's partitioned
/// limiter, which drops a tenant's bucket once it has been full (idle) for about ten seconds, so 100k tenants that
/// each called once do not stay in memory.
/// </summary>
public sealed class TenantRateLimiter : IDisposable
{
    /// <summary>The partitioned limiter refills buckets on a 100 ms heartbeat, so that is the finest useful period.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly RateLimitingOptions _options;
    private readonly GatewayTelemetry _telemetry;
    private long _partitionsCreated;

    public TenantRateLimiter(IOptions<RateLimitingOptions> options, GatewayTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _telemetry = telemetry;
        PerTenant = PartitionedRateLimiter.Create<HttpContext, string>(context => EdgeTenant.Of(context) is { } tenant
            ? RateLimitPartition.GetTokenBucketLimiter(tenant, BucketFor)
            : RateLimitPartition.GetNoLimiter(string.Empty));
        Concurrency = CreateConcurrencyLimiter();
        Global = PartitionedRateLimiter.CreateChained(PerTenant, Concurrency);
    }

    /// <summary>The limiter the rate-limiting middleware runs: the tenant's bucket, then the gateway's cap.</summary>
    public PartitionedRateLimiter<HttpContext> Global { get; }

    /// <summary>The tenant buckets alone.</summary>
    public PartitionedRateLimiter<HttpContext> PerTenant { get; }

    private PartitionedRateLimiter<HttpContext> Concurrency { get; }

    /// <summary>Tenant buckets created since start; each idle drop and return creates one again.</summary>
    public long PartitionsCreated => Interlocked.Read(ref _partitionsCreated);

    /// <summary>Whether a refusal was the tenant's own bucket running dry, rather than the gateway's shared cap.</summary>
    public bool IsTenantLimited(HttpContext context) => PerTenant.GetStatistics(context)?.CurrentAvailablePermits < 1;

    public void Dispose()
    {
        Global.Dispose();
        PerTenant.Dispose();
        Concurrency.Dispose();
    }

    private PartitionedRateLimiter<HttpContext> CreateConcurrencyLimiter() =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => EdgeTenant.Of(context) is null
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.GetConcurrencyLimiter("gateway", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = _options.MaxConcurrentRequests,
                QueueLimit = 0,
            }));

    /// <summary>The rate and burst of a tenant: its override, or the defaults.</summary>
    public (int PermitsPerSecond, int Burst) LimitsFor(string tenant) =>
        _options.Tenants.TryGetValue(tenant, out var own) && own.PermitsPerSecond > 0
            ? (own.PermitsPerSecond, Math.Max(own.Burst, 1))
            : (_options.PermitsPerSecond, Math.Max(_options.Burst, 1));

    private TokenBucketRateLimiterOptions BucketFor(string tenant)
    {
        Interlocked.Increment(ref _partitionsCreated);
        _telemetry.RecordPartitionCreated();
        var (rate, burst) = LimitsFor(tenant);
        // Below 10/s one token per longer period; above it, rate/10 tokens per 100 ms tick.
        var (period, tokens) = rate >= 10 ? (Tick, (int)Math.Round(rate / 10.0)) : (TimeSpan.FromSeconds(1.0 / Math.Max(rate, 1)), 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
