using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// What an SRE sees of a silo on its own port: the Orleans dashboard behind the operator key, and Prometheus text at
/// <c>/metrics</c> holding every metric and label the Grafana dashboard in deploy/grafana reads from the silos.
/// </summary>
public sealed class OperatorViewTests
{
    private static HttpRequestMessage Get(SiloServer silo, string path, AuthenticationHeaderValue? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.BaseAddress, path));
        request.Headers.Authorization = authorization;
        return request;
    }

    [Fact]
    public async Task Dashboard_WithOperatorKey_AnswersAndWithoutRefuses()
    {
        await using var silo = new SiloServer { Settings = ["Dashboard:Enabled=true"] };
        await silo.InitializeAsync();
        using var anonymous = await silo.Http.SendAsync(Get(silo, "/dashboard/"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        using var wrong = await silo.Http.SendAsync(Get(silo, "/dashboard/ClusterStats", new AuthenticationHeaderValue("Bearer", "not-the-key")));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var wrongBasic = await silo.Http.SendAsync(Get(silo, "/dashboard/ClusterStats",
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:not-the-key")))));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBasic.StatusCode);

        // A browser sends the key as Basic's password; a script as a Bearer token.
        using var page = await silo.Http.SendAsync(Get(silo, "/dashboard/",
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"ops:{SiloServer.AdminKey}")))));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        using var stats = await silo.Http.SendAsync(Get(silo, "/dashboard/ClusterStats", new AuthenticationHeaderValue("Bearer", SiloServer.AdminKey)));
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal("application/json", stats.Content.Headers.ContentType?.MediaType);
        // The log stream stays off: it would show every request's log lines.
        using var trace = await silo.Http.SendAsync(Get(silo, "/dashboard/Trace", new AuthenticationHeaderValue("Bearer", SiloServer.AdminKey)));
        Assert.Equal(HttpStatusCode.Forbidden, trace.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterScimTraffic_HoldEverySiloMetricTheGrafanaDashboardReads()
    {
        await using var silo = new SiloServer { Settings = ["Telemetry:Prometheus=true", "Telemetry:TenantMetrics=true"] };
        await silo.InitializeAsync();
        const string Tenant = "metrics-tenant";
        var token = await silo.CreateTenantAsync(Tenant);
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/Users", """{"userName":"m@example.com"}"""), HttpStatusCode.Created);
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, Tenant, token, "/Users", """{"userName":"m@example.com"}"""), HttpStatusCode.Conflict, "uniqueness");
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Users"));

        using var response = await silo.Http.SendAsync(Get(silo, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Empty(GrafanaQueries.Missing(text, "rfpio_scim").Concat(GrafanaQueries.Missing(text, "orleans_")).Concat(GrafanaQueries.Missing(text, "http_")));
        Assert.Contains($"rfpio_tenant=\"{Tenant}\"", text, StringComparison.Ordinal);
        Assert.Contains("scim_error_type=\"uniqueness\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ByDefault_NotServed()
    {
        await using var silo = new SiloServer();
        await silo.InitializeAsync();
        using var page = await silo.Http.SendAsync(Get(silo, "/dashboard/ClusterStats", new AuthenticationHeaderValue("Bearer", SiloServer.AdminKey)));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task Metrics_ByDefault_NotServed()
    {
        await using var silo = new SiloServer();
        await silo.InitializeAsync();
        using var metrics = await silo.Http.SendAsync(Get(silo, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
    }

    [Fact]
    public async Task Metrics_TenantMetricsOff_NoTenantSeries()
    {
        await using var silo = new SiloServer { Settings = ["Telemetry:Prometheus=true"] };
        await silo.InitializeAsync();
        var token = await silo.CreateTenantAsync("metrics-quiet");
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "metrics-quiet", token, "/Users"));
        var text = await (await silo.Http.SendAsync(Get(silo, "/metrics"))).Content.ReadAsStringAsync();
        Assert.Contains("rfpio_scim_requests_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("rfpio_tenant=", text, StringComparison.Ordinal);
    }
}
