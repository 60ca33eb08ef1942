using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RfpioGateway.ServiceDefaults;

/// <summary>One wiring of traces, metrics and health checks for both hosts.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag decide readiness; liveness runs none.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Traces ASP.NET Core, HttpClient and the given sources and exports over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without it no span is recorded unless <c>Telemetry:RecordTraces</c>
    /// is true (an in-process exporter, as in the tests). Tenant ids go on spans, never on metric tags.
    /// </summary>
    /// <param name="prometheus">Also aggregate metrics for a Prometheus scrape (the host maps <c>/metrics</c>).</param>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName, string[] traceSources, string[] meters,
        bool prometheus = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var recordTraces = exportOtlp || (builder.Configuration.GetSection("Telemetry").Get<TelemetrySettings>()?.RecordTraces ?? false);
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(serviceName));
        if (recordTraces)
        {
            telemetry.WithTracing(tracing =>
            {
                // Health probes every few seconds would drown the traces an operator is looking for.
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddSource(traceSources);
                if (exportOtlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }
        // Otherwise nothing listens: spans nobody would receive (two per grain call, one per storage call) cost the
        // silo about a fifth of its read throughput. Log scopes, the activity log and outgoing calls still carry a
        // trace id, because ASP.NET Core starts an unrecorded request activity for them anyway.
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation().AddMeter(meters);
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }
            if (exportOtlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> answers while the process can serve HTTP at all (no grain, no storage, no upstream);
    /// <c>/health/ready</c> runs the checks tagged <see cref="ReadyTag"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
