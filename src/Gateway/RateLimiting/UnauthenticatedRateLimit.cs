namespace RfpioGateway.Gateway.RateLimiting;

/// <summary>
/// The budget of requests on a tenant host whose token the gateway has not seen a silo accept
/// (<c>RateLimiting:Unauthenticated</c>): per source address and per tenant, apart from the tenant's own bucket, so a
/// flood of anonymous or wrong-token requests cannot spend the tenant's budget and lock its IdP out.
/// </summary>
internal sealed class UnauthenticatedRateLimit
{
    /// <summary>Sustained requests per second from one source address (IPv6: one /64) to one tenant host.</summary>
    public int PerSourcePermitsPerSecond { get; set; } = 20;

    public int PerSourceBurst { get; set; } = 40;

    /// <summary>Sustained requests per second for one tenant host, all sources together.</summary>
    public int PerTenantPermitsPerSecond { get; set; } = 50;

    public int PerTenantBurst { get; set; } = 100;
}
