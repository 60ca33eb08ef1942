using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RfpioGateway.ScimApi.Pipeline;

/// <summary>
/// The SCIM API's metrics. Tags are bounded (operation, status, SCIM error type): tenant ids go on spans only,
/// because one tag value per tenant would make every time series unbounded.
/// </summary>
internal sealed class ScimTelemetry
{
    /// <summary>The silo's meter: the metrics were published under it before the API had a project of its own.</summary>
    public const string MeterName = "RfpioGateway.Silo";

    /// <summary>Spans of the work inside one request (a bulk request's operations).</summary>
    public static readonly ActivitySource Source = new("RfpioGateway.ScimApi");

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long>? _tenantRequests;

    public ScimTelemetry(IMeterFactory meters, Microsoft.Extensions.Options.IOptions<ServiceDefaults.TelemetrySettings> settings)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(settings);
        var meter = meters.Create(MeterName);
        if (settings.Value.TenantMetrics)
        {
            _tenantRequests = meter.CreateCounter<long>("rfpio.scim.tenant.requests", description: "SCIM requests that carried a tenant's own token, by tenant and status class.");
        }
        _requests = meter.CreateCounter<long>("rfpio.scim.requests", description: "SCIM requests answered, by operation and status.");
        _duration = meter.CreateHistogram<double>("rfpio.scim.request.duration", unit: "s", description: "Time to answer a SCIM request.");
        _errors = meter.CreateCounter<long>("rfpio.scim.errors", description: "SCIM error responses, by status and scimType.");
    }

    public void RecordRequest(string operation, int status, string? scimType, TimeSpan elapsed, Grains.Abstractions.TenantId? tenant)
    {
        if (_tenantRequests is not null && tenant is { } known)
        {
            _tenantRequests.Add(1, new TagList { { "rfpio.tenant", known.Value }, { "http.response.status_code.class", $"{status / 100}xx" } });
        }
        var tags = new TagList { { "scim.operation", operation }, { "http.response.status_code", status } };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        if (status >= 400)
        {
            _errors.Add(1, new TagList { { "http.response.status_code", status }, { "scim.error.type", scimType ?? "none" } });
        }
    }
}
