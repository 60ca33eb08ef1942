using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RfpioGateway.Gateway.Edge;
using RfpioGateway.Gateway.Hosting;

namespace RfpioGateway.Gateway.RateLimiting;

/// <summary>
/// A token bucket per tenant for requests carrying a token a silo accepted; for every other request on a tenant host,
/// a small bucket per source address (and tenant) and one per tenant (<see cref="UnauthenticatedRateLimit"/>); then one concurrency
/// cap for the whole gateway. The buckets come first so a flooding client is refused before it can hold any of the
/// shared slots, and anonymous traffic never spends a tenant's own budget. Partitions live in ASP.NET Core's partitioned
/// limiter, which drops a bucket once it has been full (idle) for about ten seconds, so 100k tenants or addresses that
/// each called once do not stay in memory.
/// </summary>
internal sealed class TenantRateLimiter : IDisposable
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
        var anonymous = _options.Unauthenticated;
        PerTenant = PartitionedRateLimiter.Create<HttpContext, string>(context => EdgeTenant.Of(context) is { } tenant && !EdgeTenant.IsUnauthenticated(context)
            ? RateLimitPartition.GetTokenBucketLimiter(tenant, BucketFor)
            : RateLimitPartition.GetNoLimiter(string.Empty));
        // Per source and tenant: an IdP's egress addresses serve many customers, and after a gateway restart each of
        // their first requests is unauthenticated until a silo has answered it.
        UnauthenticatedPerSource = PartitionedRateLimiter.Create<HttpContext, string>(context => EdgeTenant.Of(context) is { } tenant && EdgeTenant.IsUnauthenticated(context)
            ? RateLimitPartition.GetTokenBucketLimiter(SourceOf(context) + " " + tenant, _ => Bucket(anonymous.PerSourcePermitsPerSecond, anonymous.PerSourceBurst))
            : RateLimitPartition.GetNoLimiter(string.Empty));
        UnauthenticatedPerTenant = PartitionedRateLimiter.Create<HttpContext, string>(context => EdgeTenant.Of(context) is { } tenant && EdgeTenant.IsUnauthenticated(context)
            ? RateLimitPartition.GetTokenBucketLimiter(tenant, _ => Bucket(anonymous.PerTenantPermitsPerSecond, anonymous.PerTenantBurst))
            : RateLimitPartition.GetNoLimiter(string.Empty));
        Concurrency = CreateConcurrencyLimiter();
        Global = PartitionedRateLimiter.CreateChained(PerTenant, UnauthenticatedPerSource, UnauthenticatedPerTenant, Concurrency);
    }

    /// <summary>The limiter the rate-limiting middleware runs: the request's buckets, then the gateway's cap.</summary>
    public PartitionedRateLimiter<HttpContext> Global { get; }

    /// <summary>The tenant buckets alone.</summary>
    public PartitionedRateLimiter<HttpContext> PerTenant { get; }

    private PartitionedRateLimiter<HttpContext> UnauthenticatedPerSource { get; }

    private PartitionedRateLimiter<HttpContext> UnauthenticatedPerTenant { get; }

    private PartitionedRateLimiter<HttpContext> Concurrency { get; }

    /// <summary>The unauthenticated budget's settings.</summary>
    public UnauthenticatedRateLimit Unauthenticated => _options.Unauthenticated;

    /// <summary>Tenant buckets created since start; each idle drop and return creates one again.</summary>
    public long PartitionsCreated => Interlocked.Read(ref _partitionsCreated);

    public void Dispose()
    {
        Global.Dispose();
        PerTenant.Dispose();
        UnauthenticatedPerSource.Dispose();
        UnauthenticatedPerTenant.Dispose();
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

    /// <summary>The client's address; an IPv6 client is one /64, since a single host usually holds the whole prefix.</summary>
    internal static string SourceOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }
        return address.ToString();
    }

    private TokenBucketRateLimiterOptions BucketFor(string tenant)
    {
        Interlocked.Increment(ref _partitionsCreated);
        _telemetry.RecordPartitionCreated();
        var (rate, burst) = LimitsFor(tenant);
        return Bucket(rate, burst);
    }

    private static TokenBucketRateLimiterOptions Bucket(int rate, int burst)
    {
        // Below 10/s one token per longer period; above it, rate/10 tokens per 100 ms tick.
        var (period, tokens) = rate >= 10 ? (Tick, (int)Math.Round(rate / 10.0)) : (TimeSpan.FromSeconds(1.0 / Math.Max(rate, 1)), 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(burst, 1),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
