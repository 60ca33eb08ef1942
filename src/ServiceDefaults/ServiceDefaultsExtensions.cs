using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RfpioGateway.ServiceDefaults;

/// <summary>One wiring of traces, metrics and health checks for both hosts.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Traces ASP.NET Core, HttpClient and the given sources; exports over OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Tenant ids go on spans, never on metric tags.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName, string[] traceSources, string[] meters)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddSource(traceSources);
                if (exportOtlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(meters);
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        builder.Services.AddHealthChecks();
        return builder;
    }
}
