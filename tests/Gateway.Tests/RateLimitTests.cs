using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Gateway.Edge;
using RfpioGateway.Gateway.RateLimiting;

namespace RfpioGateway.Gateway.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task RateLimit_FloodingTenant_Gets429WhileQuietTenantIsServed()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "RateLimiting:PermitsPerSecond=10", "RateLimiting:Burst=20");
        await gateway.LearnTokenAsync("noisy");
        await gateway.LearnTokenAsync("quiet");

        var flood = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => gateway.ScimAsync("noisy")));
        var quiet = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => gateway.ScimAsync("quiet")));

        var refused = flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        // 200 requests against a burst of 20 refilling at 10/s: most are refused however slow a shared machine is.
        Assert.InRange(refused.Count, 50, 190);
        var detail = await ScimErrorAssert.IsScimErrorAsync(refused[0], 429);
        Assert.Contains("'noisy'", detail, StringComparison.Ordinal);
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.All(quiet, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    private static StringContent Bulk(int operations) => new(
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":[" +
        string.Join(",", Enumerable.Range(0, operations).Select(i => $"{{\"method\":\"DELETE\",\"path\":\"/Users/{i}\"}}")) + "]}",
        System.Text.Encoding.UTF8, "application/scim+json");

    [Fact]
    public async Task RateLimit_BulkRequest_SpendsOnePermitPerOperation()
    {
        // A bulk's operations obey the tenant's rate limit as the same requests sent alone would.
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "RateLimiting:PermitsPerSecond=10", "RateLimiting:Burst=20");
        await gateway.LearnTokenAsync("bulky");

        using var first = await gateway.ScimAsync("bulky", "/Bulk", HttpMethod.Post, Bulk(15));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"bodyLength\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var second = await gateway.ScimAsync("bulky", "/Bulk", HttpMethod.Post, Bulk(15));
        var detail = await ScimErrorAssert.IsScimErrorAsync(second, 429);
        Assert.Contains("15 bulk operations", detail, StringComparison.Ordinal);
        using var huge = await gateway.ScimAsync("bulky", "/Bulk", HttpMethod.Post, Bulk(30));
        Assert.Contains("burst of 20", await ScimErrorAssert.IsScimErrorAsync(huge, 413), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimit_BulkBodyReadToCount_ReachesTheSiloWhole()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address]);
        await gateway.LearnTokenAsync("bulk-body");
        var content = Bulk(3);
        var length = (await content.ReadAsByteArrayAsync()).Length;
        using var response = await gateway.ScimAsync("bulk-body", "/Bulk", HttpMethod.Post, content);
        var echoed = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(length, echoed.GetProperty("bodyLength").GetInt32());
    }

    [Fact]
    public async Task RateLimit_TenantOverride_RaisesOnlyThatTenantsLimit()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "RateLimiting:PermitsPerSecond=10", "RateLimiting:Burst=20",
            "RateLimiting:Tenants:bigco:PermitsPerSecond=5000", "RateLimiting:Tenants:bigco:Burst=1000");
        await gateway.LearnTokenAsync("bigco");
        await gateway.LearnTokenAsync("smallco");

        var big = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => gateway.ScimAsync("bigco")));
        var small = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => gateway.ScimAsync("smallco")));

        Assert.All(big, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains(small, r => r.StatusCode == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task RateLimit_GlobalConcurrencyCap_Refuses429ForAnyTenant()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "RateLimiting:MaxConcurrentRequests=2");
        using var release = new CancellationTokenSource();
        var hanging = Enumerable.Range(0, 2).Select(i => gateway.Http.SendAsync(Slow(gateway, $"hold{i}"), release.Token)).ToList();
        await Eventually.TrueAsync(() => silo.Requests == 2);

        var refused = await gateway.ScimAsync("another");

        var detail = await ScimErrorAssert.IsScimErrorAsync(refused, 429);
        Assert.Contains("in flight", detail, StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        await release.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(hanging));
    }

    [Fact]
    public async Task RateLimit_HealthEndpoints_AreNeverLimited()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "RateLimiting:MaxConcurrentRequests=1", "RateLimiting:Burst=1", "RateLimiting:PermitsPerSecond=1");

        var probes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => gateway.Http.GetAsync(new Uri(gateway.BaseAddress, "/health/live"))));

        Assert.All(probes, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task RateLimit_AnonymousFloodOnVictimHost_VictimsIdpKeepsItsBudget()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "RateLimiting:Tenants:victim:PermitsPerSecond=100",
            "RateLimiting:Tenants:victim:Burst=100", "RateLimiting:Unauthenticated:PerSourceBurst=20", "RateLimiting:Unauthenticated:PerTenantBurst=40");
        await gateway.LearnTokenAsync("victim");

        // 400 requests with no token or a guessed one, then the IdP's own 80, all at once.
        var flood = Enumerable.Range(0, 400).Select(i => gateway.ScimAsync("victim", configure: request =>
            request.Headers.Authorization = i % 2 == 0 ? null : new AuthenticationHeaderValue("Bearer", $"rfpscim_guess{i}")));
        var idp = Enumerable.Range(0, 80).Select(_ => gateway.ScimAsync("victim"));
        var floodAnswers = await Task.WhenAll(flood);
        var idpAnswers = await Task.WhenAll(idp);

        Assert.All(idpAnswers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var refused = floodAnswers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(refused.Count >= 300, $"only {refused.Count} of 400 anonymous requests were refused against bursts of 20 and 40");
        var detail = await ScimErrorAssert.IsScimErrorAsync(refused[0], 429);
        Assert.Contains("without an accepted SCIM token", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptedTokens_AcceptedThenRefused_KnownThenForgotten()
    {
        using var tokens = new AcceptedTokens();
        static DefaultHttpContext Request(string token)
        {
            var context = new DefaultHttpContext();
            context.Request.Headers.Authorization = "Bearer " + token;
            return context;
        }

        var first = Request("rfpscim_abc");
        Assert.False(tokens.IsAccepted(first, "acme"));
        tokens.Learn(first, wasAccepted: false, 200, accepted: true);

        Assert.True(tokens.IsAccepted(Request("rfpscim_abc"), "acme"));
        Assert.False(tokens.IsAccepted(Request("rfpscim_abc"), "other"));
        Assert.False(tokens.IsAccepted(Request("rfpscim_abd"), "acme"));

        var notFound = Request("rfpscim_abc");
        tokens.IsAccepted(notFound, "acme");
        tokens.Learn(notFound, wasAccepted: true, 404, accepted: false);
        Assert.True(tokens.IsAccepted(Request("rfpscim_abc"), "acme"));

        var refused = Request("rfpscim_abc");
        tokens.IsAccepted(refused, "acme");
        tokens.Learn(refused, wasAccepted: true, 401, accepted: false);
        Assert.False(tokens.IsAccepted(Request("rfpscim_abc"), "acme"));
    }

    internal static DefaultHttpContext ContextFor(string tenant)
    {
        var context = new DefaultHttpContext();
        EdgeTenant.Set(context, tenant);
        return context;
    }

    private static HttpRequestMessage Slow(GatewayServer gateway, string tenant)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/rfpserver/scim/v2/slow"));
        request.Headers.Host = $"{tenant}.rfpio.com";
        return request;
    }
}
