using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using RfpioGateway.ServiceDefaults;

namespace RfpioGateway.Gateway.Tests;

/// <summary>
/// Spans are recorded only when something receives them: recording them with no exporter cost the silo about a
/// fifth of its read throughput (docs/benchmarks.md).
/// </summary>
public sealed class TelemetryDefaultsTests
{
    [Fact]
    public async Task AddServiceDefaults_NoOtlpEndpoint_RecordsNoSpans()
    {
        Assert.Null(await StartSpanAsync([]));
    }

    [Fact]
    public async Task AddServiceDefaults_RecordTraces_RecordsSpans()
    {
        var span = await StartSpanAsync(["--Telemetry:RecordTraces=true"]);

        Assert.NotNull(span);
        Assert.True(span.Recorded);
    }

    /// <summary>Starts a span on a source only this host listens to (listeners are process-wide).</summary>
    private static async Task<Activity?> StartSpanAsync(string[] args)
    {
        var sourceName = "rfpio.tests." + Guid.NewGuid().ToString("N");
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddServiceDefaults("telemetry-test", [sourceName], []);
        await using var app = builder.Build();
        _ = app.Services.GetService<TracerProvider>();
        using var source = new ActivitySource(sourceName);
        using var span = source.StartActivity("probe");
        return span;
    }
}
