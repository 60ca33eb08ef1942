namespace RfpioGateway.Gateway.Hosting;

/// <summary>Configuration section <c>Edge</c>: limits and answers at the public edge.</summary>
internal sealed class EdgeOptions
{
    /// <summary>Largest request body forwarded; larger ones get 413. Matches the silo's advertised maxPayloadSize.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest total size of a request's headers; larger ones get 431.</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Longest request target (path and query); longer ones get 414.</summary>
    public int MaxRequestTargetBytes { get; set; } = 8 * 1024;

    /// <summary>The Retry-After sent with 502 and 503 when the silos cannot answer.</summary>
    public int UpstreamRetryAfterSeconds { get; set; } = 5;

    /// <summary>HSTS max-age sent on HTTPS responses (only when TLS terminates at the gateway).</summary>
    public int HstsMaxAgeDays { get; set; } = 365;

    /// <summary>Networks (CIDR) of a TLS-terminating ingress whose X-Forwarded-For/-Proto are believed. Loopback always is.</summary>
    public List<string> TrustedProxyNetworks { get; set; } = [];

    /// <summary>Expand each silo destination's host name through DNS (a Kubernetes headless service) into one destination per address.</summary>
    public bool ResolveDestinationsByDns { get; set; }

    /// <summary>How often DNS destinations are resolved again.</summary>
    public int DnsRefreshSeconds { get; set; } = 15;

    /// <summary>
    /// A second listener (<c>http://+:9090</c>) that serves only <c>/metrics</c> (Prometheus text) and <c>/health/*</c>,
    /// for the cluster's scraper; empty for none. The public listener never serves <c>/metrics</c>.
    /// </summary>
    public string ManagementUrl { get; set; } = "";
}
