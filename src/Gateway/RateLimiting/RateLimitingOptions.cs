namespace RfpioGateway.Gateway.RateLimiting;

/// <summary>Configuration section <c>RateLimiting</c>: a token bucket per tenant and one concurrency cap for the gateway.</summary>
internal sealed class RateLimitingOptions
{
    /// <summary>
    /// Sustained requests per second per tenant. Entra ID needs at least 25; an initial sync sends two requests per
    /// user, so 2,500 lets one tenant sync 1,000+ users a second where the silos can take it.
    /// </summary>
    public int PermitsPerSecond { get; set; } = 2500;

    /// <summary>Requests a tenant may send at once after being idle.</summary>
    public int Burst { get; set; } = 5000;

    /// <summary>Requests in flight through this gateway across all tenants; above it requests get 429.</summary>
    public int MaxConcurrentRequests { get; set; } = 4096;

    /// <summary>The budget of requests whose token no silo has accepted yet (see <see cref="AcceptedTokens"/>).</summary>
    public UnauthenticatedRateLimit Unauthenticated { get; set; } = new();

    /// <summary>Per-tenant overrides, keyed by tenant id.</summary>
    public Dictionary<string, TenantRateLimit> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
