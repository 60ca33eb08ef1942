using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
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

    /// <summary>A tenant as an operator leaves it for its admin: provisioning off, no token, a console credential.</summary>
    public async Task<string> CreateTenantForAdminAsync(string tenant)
    {
        (await AdminAsync(HttpMethod.Put, $"/admin/v1/tenants/{tenant}")).EnsureSuccessStatusCode();
        var response = await AdminAsync(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/admin-credential");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credential").GetString()!;
    }

    public async Task<string> CreateTenantAsync(string tenant)
    {
        (await AdminAsync(HttpMethod.Put, $"/admin/v1/tenants/{tenant}")).EnsureSuccessStatusCode();
        (await AdminAsync(HttpMethod.Put, $"/admin/v1/tenants/{tenant}/provisioning", """{"enabled":true}""")).EnsureSuccessStatusCode();
        var response = await AdminAsync(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/token");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A SCIM request through the gateway, for the tenant's host.</summary>
    public Task<HttpResponseMessage> ScimAsync(HttpMethod method, string tenant, string token, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(GatewayAddress, "/rfpserver/scim/v2" + path));
        request.Headers.Host = $"{tenant}.rfpio.com";
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.UserAgent.ParseAdd("Microsoft.AAD.Provisioning/1.0");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/scim+json");
        }
        return Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(SiloAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return Http.SendAsync(request);
    }

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
