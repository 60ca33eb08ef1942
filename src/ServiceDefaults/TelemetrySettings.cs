namespace RfpioGateway.ServiceDefaults;

/// <summary>Configuration section <c>Telemetry</c>, read by both hosts.</summary>
public sealed class TelemetrySettings
{
    /// <summary>Record spans even without an OTLP endpoint (an in-process exporter, as in the tests).</summary>
    public bool RecordTraces { get; set; }

    /// <summary>
    /// Serve metrics as Prometheus text at <c>/metrics</c> (the silo's port; the gateway's management listener, which
    /// turns this on by itself). Off by default: a metric reader makes every instrument aggregate on every request,
    /// which cost the silo about 5-10% of its read throughput in an A/B (docs/benchmarks.md), scraped or not.
    /// </summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Also count SCIM requests per tenant (<c>rfpio.scim.tenant.requests</c>, tagged <c>rfpio.tenant</c>). Off by
    /// default: each tenant is one more time series per status class, which a deployment of thousands of tenants
    /// should not send its metrics backend. Only requests that carried the tenant's own token are counted, so the
    /// series are bounded by the tenants that exist.
    /// </summary>
    public bool TenantMetrics { get; set; }
}
