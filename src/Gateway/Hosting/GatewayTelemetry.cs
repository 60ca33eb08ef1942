using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RfpioGateway.Gateway.Hosting;

/// <summary>
/// The gateway's metrics. Tags are bounded (status, route, limit kind, YARP error kind): tenant ids go on spans only,
/// because a tag value per tenant would make every series unbounded at 100k tenants.
/// </summary>
internal sealed class GatewayTelemetry
{
    public const string MeterName = "RfpioGateway.Gateway";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _upstreamFailures;
    private readonly Counter<long> _partitionsCreated;

    public GatewayTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("rfpio.gateway.requests", description: "Requests answered on a proxied route, by route and status.");
        _duration = meter.CreateHistogram<double>("rfpio.gateway.request.duration", unit: "s", description: "Time from request to response at the edge.");
        _rateLimited = meter.CreateCounter<long>("rfpio.gateway.rate_limited", description: "Requests refused with 429, by limit (tenant or global).");
        _upstreamFailures = meter.CreateCounter<long>("rfpio.gateway.upstream_failures", description: "Requests the silos did not answer, by YARP error.");
        _partitionsCreated = meter.CreateCounter<long>("rfpio.gateway.rate_limit.partitions_created",
            description: "Tenant token buckets created; idle ones are dropped, so a steady climb with steady traffic means churn.");
    }

    public void RecordRequest(string route, int status, TimeSpan elapsed)
    {
        var tags = new TagList { { "rfpio.route", route }, { "http.response.status_code", status } };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    public void RecordRateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>("rfpio.limit", limit));

    public void RecordUpstreamFailure(string error) => _upstreamFailures.Add(1, new KeyValuePair<string, object?>("rfpio.upstream.error", error));

    public void RecordPartitionCreated() => _partitionsCreated.Add(1);
}
