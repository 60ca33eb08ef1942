using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RfpioGateway.Gateway.Hosting;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// The real gateway in front of a real silo (SQLite in a temporary folder), both on loopback in this process, each
/// with the configuration it ships with, exporting spans and metrics to memory and logging every level to memory.
/// </summary>
public sealed class EdgeStack : IAsyncLifetime
{
    public const string AdminKey = "e2e-operator-key";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "rfpio-e2e-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _silo;
    private WebApplication? _gateway;

    public List<Activity> SiloSpans { get; } = [];

    public List<Activity> GatewaySpans { get; } = [];

    public List<Metric> SiloMetrics { get; } = [];

    public List<Metric> GatewayMetrics { get; } = [];

    public CapturedLogs SiloLogs { get; } = new();

    public CapturedLogs GatewayLogs { get; } = new();

    public Uri SiloAddress { get; private set; } = null!;

    public Uri GatewayAddress { get; private set; } = null!;

    public IServiceProvider SiloServices => _silo!.Services;

    public IServiceProvider GatewayServices => _gateway!.Services;

    public StackClient Client { get; private set; } = null!;

    /// <summary>A client whose own requests start no trace, so the gateway's server span is each trace's root.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { ActivityHeadersPropagator = null, UseProxy = false });

    public async Task InitializeAsync()
    {
        _silo = SiloHost.Build(
        [
            $"--contentRoot={Path.Combine(AppContext.BaseDirectory, "silo")}",
            "--Urls=http://127.0.0.1:0",
            "--Storage:Provider=Sqlite",
            $"--Storage:Sqlite:Path={Path.Combine(_dataFolder, "silo.db")}",
            $"--Orleans:SiloPort={FreePorts.Next()}",
            $"--Orleans:GatewayPort={FreePorts.Next()}",
            $"--Admin:ApiKey={AdminKey}",
            "--Tenancy:TenantUrlTemplate=https://{tenant}.rfpio.com/rfpserver/scim/v2",
        ], builder => Observe(builder, SiloSpans, SiloMetrics, SiloLogs));
        await _silo.StartAsync();
        SiloAddress = AddressOf(_silo);

        _gateway = GatewayHost.Build(
        [
            $"--contentRoot={Path.Combine(AppContext.BaseDirectory, "gateway")}",
            "--Urls=http://127.0.0.1:0",
            $"--ReverseProxy:Clusters:silo:Destinations:silo1:Address={SiloAddress}",
        ], builder => Observe(builder, GatewaySpans, GatewayMetrics, GatewayLogs));
        await _gateway.StartAsync();
        GatewayAddress = AddressOf(_gateway);
        Client = new StackClient(Http, GatewayAddress, SiloAddress, AdminKey);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _gateway, _silo })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        Http.Dispose();
    }

    /// <summary>Spans from both hosts: each exports what its listeners saw, so ASP.NET Core spans appear in both.</summary>
    public IReadOnlyList<Activity> AllSpans()
    {
        FlushTelemetry();
        lock (SiloSpans)
        {
            lock (GatewaySpans)
            {
                return [.. SiloSpans.Concat(GatewaySpans).DistinctBy(a => a.SpanId)];
            }
        }
    }

    public void FlushTelemetry()
    {
        foreach (var app in new[] { _gateway!, _silo! })
        {
            app.Services.GetRequiredService<TracerProvider>().ForceFlush();
            app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        }
    }

    public Task<string> CreateTenantForAdminAsync(string tenant) => Client.CreateTenantForAdminAsync(tenant);

    public Task<string> CreateTenantAsync(string tenant) => Client.CreateTenantAsync(tenant);

    public Task<HttpResponseMessage> ScimAsync(HttpMethod method, string tenant, string token, string path, string? json = null) =>
        Client.ScimAsync(method, tenant, token, path, json);

    private static void Observe(WebApplicationBuilder builder, List<Activity> spans, List<Metric> metrics, CapturedLogs logs)
    {
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Logging.AddFilter(_ => true);
        builder.Configuration["Telemetry:RecordTraces"] = "true";
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
            tracing.AddProcessor(new SimpleActivityExportProcessor(new LockedListExporter<Activity>(spans))));
        // Collected only on FlushTelemetry, so a test reads metrics that no timer is appending to.
        builder.Services.ConfigureOpenTelemetryMeterProvider(meters =>
            meters.AddReader(new BaseExportingMetricReader(new LockedListExporter<Metric>(metrics))));
    }

    private static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
