using System.Net;

namespace RfpioGateway.Gateway.Tests;

/// <summary>
/// The gateway's management port (Edge:ManagementUrl): Prometheus text at <c>/metrics</c> with every gateway metric
/// and label the Grafana dashboard reads; the public listener never serves it, and the management port serves
/// nothing else.
/// </summary>
public sealed class ManagementPortTests
{
    [Fact]
    public async Task Metrics_OnManagementPortOnly_HoldEveryGatewayMetricTheGrafanaDashboardReads()
    {
        var port = FreePorts.Next();
        var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], $"Edge:ManagementUrl=http://127.0.0.1:{port}",
            "RateLimiting:PermitsPerSecond=1", "RateLimiting:Burst=2");
        await gateway.LearnTokenAsync("metered");
        for (var i = 0; i < 5; i++)
        {
            await gateway.ScimAsync("metered");
        }
        // A silo that stops answering: the gateway's answer is its own 502/503, counted as an upstream failure.
        await silo.DisposeAsync();
        await gateway.ScimAsync("other-tenant");

        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var metrics = await management.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Empty(GrafanaQueries.Missing(text, "rfpio_gateway"));
        Assert.Contains("rfpio_limit=\"tenant\"", text, StringComparison.Ordinal);

        using var health = await management.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var proxied = await management.GetAsync(new Uri("/rfpserver/scim/v2/Users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);

        // The public listener: even with the management port in Host, /metrics is a SCIM 404, never the metrics.
        using var outside = await gateway.SendAsync($"metered.rfpio.com:{port}", "/metrics");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.DoesNotContain("rfpio_gateway", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementUrl_WithoutFixedPort_RefusesToStart()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayServer.StartAsync([silo.Address], "Edge:ManagementUrl=http://127.0.0.1:0"));
        Assert.Contains("Edge:ManagementUrl", error.Message, StringComparison.Ordinal);
    }
}
