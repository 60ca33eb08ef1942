using System.Text;

namespace RfpioGateway.Gateway.Tests;

/// <summary>Every answer on a tenant host is SCIM JSON, including the ones Kestrel or YARP used to give bare.</summary>
public sealed class EdgeAnswerTests
{
    [Fact]
    public async Task Forward_SiloErrorAnswer_NoServerBanner()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        var response = await gateway.ScimAsync("acme", "/status/404");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("Server"), string.Join(",", response.Headers.Server));
        Assert.False(response.Headers.Contains("X-Rfpio-Token-Accepted"));
    }

    [Theory]
    [InlineData("/rfpserver/scim/v2%2f..%2fadmin")]
    [InlineData("/rfpserver/nothing.json")]
    [InlineData("/favicon.ico")]
    public async Task Get_UnroutedPathWithADotInItsLastSegment_Scim404(string path)
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        var answer = await RawHttp.SendAsync(gateway.BaseAddress, $"GET {path} HTTP/1.1\r\nHost: acme.localhost");

        ScimErrorAssert.IsScimError(answer, 404);
    }

    [Fact]
    public async Task Get_TargetOverTheLimit_Scim414()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        var answer = await RawHttp.SendAsync(gateway.BaseAddress, $"GET /rfpserver/scim/v2/Users?filter={new string('a', 20_000)} HTTP/1.1\r\nHost: acme.localhost");

        ScimErrorAssert.IsScimError(answer, 414);
        Assert.Contains(".search", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_HeadersOverTheLimit_Scim431()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        var answer = await RawHttp.SendAsync(gateway.BaseAddress, $"GET /rfpserver/scim/v2/Users HTTP/1.1\r\nHost: acme.localhost\r\nX-Big: {new string('a', 40_000)}");

        ScimErrorAssert.IsScimError(answer, 431);
        Assert.Equal(0, silo.Requests);
    }

    [Fact]
    public async Task Get_AbsoluteFormTargetForAnotherHost_TheTargetsHostDecides()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        // RFC 9112 §3.2.2: the authority in an absolute-form target replaces Host.
        var answer = await RawHttp.SendAsync(gateway.BaseAddress, "GET http://other.localhost/rfpserver/scim/v2/Users HTTP/1.1\r\nHost: acme.localhost");

        Assert.Equal(200, answer.Status);
        Assert.Contains("\"X-Forwarded-Host\":\"other.localhost\"", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TrailingDotHost_Scim404()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        var answer = await RawHttp.SendAsync(gateway.BaseAddress, "GET /rfpserver/scim/v2/Users HTTP/1.1\r\nHost: acme.localhost.");

        ScimErrorAssert.IsScimError(answer, 404);
        Assert.Equal(0, silo.Requests);
    }

    [Fact]
    public void TenantOf_ConfiguredBaseDomains_ReplaceTheDefaults()
    {
        var hosts = new ServiceDefaults.TenantHosts(["example.com"]);

        Assert.Equal("ta", hosts.TenantOf("ta.example.com"));
        Assert.Null(hosts.TenantOf("ta.rfpio.com"));
        Assert.Null(hosts.TenantOf("ta.example.com."));
        Assert.Equal("ta", new ServiceDefaults.TenantHosts([]).TenantOf("ta.rfpio.com"));
    }
}
