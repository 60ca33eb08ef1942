using System.Net.Http.Headers;

namespace RfpioGateway.Gateway.Tests;

/// <summary>Failures the gateway answers itself: all SCIM errors in application/scim+json, never a bare status or HTML.</summary>
public sealed class EdgeErrorTests
{
    [Fact]
    public async Task Forward_ContentLengthOverLimit_Is413WithoutCallingSilo()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "Edge:MaxRequestBodyBytes=1000");

        var response = await gateway.ScimAsync("acme", method: HttpMethod.Post, content: Json(new string('a', 2000)));

        var detail = await ScimErrorAssert.IsScimErrorAsync(response, 413);
        Assert.Contains("1000", detail, StringComparison.Ordinal);
        Assert.Equal(0, silo.Requests);
    }

    [Fact]
    public async Task Forward_ChunkedBodyOverLimit_Is413()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "Edge:MaxRequestBodyBytes=1000");
        var content = new StreamContent(new MemoryStream(new byte[5000]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/scim+json");

        var response = await gateway.ScimAsync("acme", method: HttpMethod.Post, content: content,
            configure: request => request.Headers.TransferEncodingChunked = true);

        await ScimErrorAssert.IsScimErrorAsync(response, 413);
    }

    [Fact]
    public async Task Forward_BodyWithinLimit_ReachesSilo()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "Edge:MaxRequestBodyBytes=1000");

        var echo = await ScimErrorAssert.EchoAsync(await gateway.ScimAsync("acme", method: HttpMethod.Post, content: Json(new string('a', 900))));

        Assert.True(echo.GetProperty("bodyLength").GetInt64() > 900);
    }

    [Fact]
    public async Task Forward_DefaultBodyLimit_MatchesSilosMaxPayloadSize()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        var under = await gateway.ScimAsync("acme", method: HttpMethod.Post, content: Json(new string('a', 1024 * 1024 - 100)));
        // As curl does for big bodies: without 100-continue the gateway's early 413 can race the client's upload.
        var over = await gateway.ScimAsync("acme", method: HttpMethod.Post, content: Json(new string('a', 1024 * 1024)),
            configure: request => request.Headers.ExpectContinue = true);

        Assert.Equal(200, (int)under.StatusCode);
        await ScimErrorAssert.IsScimErrorAsync(over, 413);
    }

    [Fact]
    public async Task Forward_SiloRefusesConnections_Is502WithRetryAfter()
    {
        await using var gateway = await GatewayServer.StartAsync([new Uri($"http://127.0.0.1:{FreePorts.Next()}/")]);

        var response = await gateway.ScimAsync("acme");

        await ScimErrorAssert.IsScimErrorAsync(response, 502);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Forward_SiloTooSlow_Is504()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "ReverseProxy:Routes:scim:Timeout=00:00:01");

        var response = await gateway.ScimAsync("acme", "/slow");

        var detail = await ScimErrorAssert.IsScimErrorAsync(response, 504);
        Assert.Contains("read the resource before retrying", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_SiloActivityTimeout_Is504()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "ReverseProxy:Clusters:silo:HttpRequest:ActivityTimeout=00:00:01");

        var response = await gateway.ScimAsync("acme", "/slow");

        await ScimErrorAssert.IsScimErrorAsync(response, 504);
    }

    [Fact]
    public async Task Forward_NoSiloAvailable_Is503WithRetryAfter()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        silo.Ready = false;
        await using var gateway = await GatewayServer.StartAsync([silo.Address], "ReverseProxy:Clusters:silo:HealthCheck:Active:Interval=00:00:00.200");
        await Eventually.TrueAsync(() => gateway.AvailableDestinations() == 0);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await gateway.Http.GetAsync(new Uri(gateway.BaseAddress, "/health/ready"))).StatusCode);

        var response = await gateway.ScimAsync("acme");

        await ScimErrorAssert.IsScimErrorAsync(response, 503);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, silo.Requests);
    }

    [Fact]
    public async Task Forward_SiloAnswersItsOwnError_PassesThrough()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        var response = await gateway.ScimAsync("acme", "/status/409");

        Assert.Equal(409, (int)response.StatusCode);
    }

    private static StringContent Json(string padding)
    {
        var content = new StringContent($$"""{"userName":"{{padding}}"}""");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/scim+json");
        return content;
    }
}
