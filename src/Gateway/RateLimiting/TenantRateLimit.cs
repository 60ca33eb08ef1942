namespace RfpioGateway.Gateway.RateLimiting;

/// <summary>One tenant's override of the default rate (<c>RateLimiting:Tenants:&lt;tenant&gt;</c>).</summary>
internal sealed class TenantRateLimit
{
    public int PermitsPerSecond { get; set; }

    public int Burst { get; set; }
}
