using RfpioGateway.Gateway.Edge;
using Yarp.ReverseProxy.Configuration;

namespace RfpioGateway.Gateway.Tests;

/// <summary>Which hosts and paths the gateway forwards, and what the silo sees of them.</summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private Upstream _silo = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        _silo = await Upstream.StartAsync("silo1");
        _gateway = await GatewayServer.StartAsync(_silo);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _silo.DisposeAsync();
    }

    [Theory]
    [InlineData("acme.rfpio.com")]
    [InlineData("acme.localhost")]
    [InlineData("a1-b2.rfpio.com")]
    public async Task Forward_TenantHost_ReachesSiloWithOriginalHost(string host)
    {
        var echo = await ScimErrorAssert.EchoAsync(await _gateway.SendAsync(host, "/rfpserver/scim/v2/Users"));

        Assert.Equal("silo1", echo.GetProperty("upstream").GetString());
        Assert.Equal("/rfpserver/scim/v2/Users", echo.GetProperty("path").GetString());
        Assert.Equal(host, echo.GetProperty("headers").GetProperty("X-Forwarded-Host").GetString());
    }

    [Fact]
    public async Task Forward_UpperCaseHostWithPort_IsRoutedForTheSameTenant()
    {
        var echo = await ScimErrorAssert.EchoAsync(await _gateway.SendAsync("Contoso.RFPIO.com:8443", "/rfpserver/scim/v2/Users"));

        Assert.Equal("Contoso.RFPIO.com:8443", echo.GetProperty("headers").GetProperty("X-Forwarded-Host").GetString());
    }

    [Fact]
    public async Task Forward_BasePathWithoutSlash_IsRouted()
    {
        var echo = await ScimErrorAssert.EchoAsync(await _gateway.SendAsync("acme.rfpio.com", "/rfpserver/scim/v2"));

        Assert.Equal("/rfpserver/scim/v2", echo.GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("a.b.rfpio.com")]
    [InlineData("-x.rfpio.com")]
    [InlineData("x-.rfpio.com")]
    [InlineData("x_y.rfpio.com")]
    [InlineData("rfpio.com")]
    [InlineData("acme.example.com")]
    [InlineData("127.0.0.1")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.rfpio.com")]
    public async Task Forward_HostWithoutOneValidTenantLabel_Is404ScimErrorAndSiloIsNotCalled(string host)
    {
        var response = await _gateway.SendAsync(host, "/rfpserver/scim/v2/Users");

        await ScimErrorAssert.IsScimErrorAsync(response, 404);
        Assert.Equal(0, _silo.Requests);
    }

    [Theory]
    [InlineData("/scim/v2/Users")]
    [InlineData("/")]
    [InlineData("/rfpserver/other")]
    public async Task Forward_PathOutsideScim_Is404ScimError(string path)
    {
        var response = await _gateway.SendAsync("acme.rfpio.com", path);

        var detail = await ScimErrorAssert.IsScimErrorAsync(response, 404);
        Assert.Contains("/rfpserver/scim/v2", detail, StringComparison.Ordinal);
        Assert.Equal(0, _silo.Requests);
    }

    [Fact]
    public async Task Forward_ClientSentForwardingAndInternalHeaders_AreRemovedOrReplaced()
    {
        var response = await _gateway.SendAsync("acme.rfpio.com", "/rfpserver/scim/v2/Users", configure: request =>
        {
            request.Headers.Add("X-Forwarded-Host", "victim.rfpio.com");
            request.Headers.Add("X-Forwarded-For", "10.9.9.9");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("Forwarded", "host=victim.rfpio.com");
            request.Headers.Add("X-Tenant-Id", "victim");
            request.Headers.Add("X-Rfpio-Internal", "1");
            request.Headers.Add("X-Original-Host", "victim.rfpio.com");
            request.Headers.Add("X-Real-IP", "10.9.9.9");
        });

        var headers = (await ScimErrorAssert.EchoAsync(response)).GetProperty("headers");
        Assert.Equal("acme.rfpio.com", headers.GetProperty("X-Forwarded-Host").GetString());
        Assert.Equal("http", headers.GetProperty("X-Forwarded-Proto").GetString());
        Assert.DoesNotContain("10.9.9.9", headers.GetProperty("X-Forwarded-For").GetString(), StringComparison.Ordinal);
        foreach (var name in new[] { "Forwarded", "X-Tenant-Id", "X-Rfpio-Internal", "X-Original-Host", "X-Real-IP" })
        {
            Assert.False(headers.TryGetProperty(name, out _), $"{name} reached the silo");
        }
    }

    [Fact]
    public async Task Forward_Authorization_PassesUntouched()
    {
        var response = await _gateway.SendAsync("acme.rfpio.com", "/rfpserver/scim/v2/Users",
            configure: request => request.Headers.TryAddWithoutValidation("Authorization", "Bearer  rfpscim_Odd+Token/=="));

        var headers = (await ScimErrorAssert.EchoAsync(response)).GetProperty("headers");
        Assert.Equal("Bearer rfpscim_test-token, Bearer  rfpscim_Odd+Token/==", headers.GetProperty("Authorization").GetString());
    }

    [Fact]
    public async Task Forward_Response_HasNoServerBanner()
    {
        var response = await _gateway.SendAsync("acme.rfpio.com", "/rfpserver/scim/v2/Users");
        var error = await _gateway.SendAsync("acme.example.com", "/rfpserver/scim/v2/Users");

        Assert.Empty(response.Headers.Server);
        Assert.Empty(error.Headers.Server);
    }

    [Fact]
    public async Task Forward_HeadersOverTheLimit_AreRefusedBeforeTheSilo()
    {
        var response = await _gateway.SendAsync("acme.rfpio.com", "/rfpserver/scim/v2/Users",
            configure: request => request.Headers.Add("X-Padding", new string('a', 40 * 1024)));

        Assert.Equal(431, (int)response.StatusCode);
        Assert.Equal(0, _silo.Requests);
    }

    [Theory]
    [InlineData("ReverseProxy:Routes:scim:Metadata:TenantFromHost=ture")]
    [InlineData("ReverseProxy:Routes:extra:ClusterId=silo")]
    public async Task Start_SiloRouteWithoutTenantFromHost_RefusesToStartNamingTheRoute(string setting)
    {
        await using var silo = await Upstream.StartAsync("silo1");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayServer.StartAsync([silo.Address], setting,
            "ReverseProxy:Routes:extra:Match:Path=/extra/{**rest}"));

        Assert.Contains("TenantFromHost", refused.Message, StringComparison.Ordinal);
        Assert.Contains(setting.Contains("extra", StringComparison.Ordinal) ? "Routes:extra" : "Routes:scim", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RouteToAnotherClusterWithoutTenantFromHost_Starts()
    {
        await using var silo = await Upstream.StartAsync("silo1");

        await using var gateway = await GatewayServer.StartAsync([silo.Address], "ReverseProxy:Routes:app:ClusterId=app",
            "ReverseProxy:Routes:app:Match:Path=/app/{**rest}", $"ReverseProxy:Clusters:app:Destinations:app1:Address={silo.Address}");

        Assert.Equal(200, (int)(await gateway.ScimAsync("acme")).StatusCode);
    }

    [Theory]
    [InlineData("ReverseProxy:Routes:app:Metadata:tenantFromHost=true")]
    [InlineData("ReverseProxy:Routes:app:Metadata:TenantFromHost=yes")]
    public async Task Start_TenantFromHostMisspeltOnAnyRoute_RefusesToStartNamingTheRoute(string setting)
    {
        await using var silo = await Upstream.StartAsync("silo1");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayServer.StartAsync([silo.Address], setting,
            "ReverseProxy:Routes:app:ClusterId=app", "ReverseProxy:Routes:app:Match:Path=/app/{**rest}",
            $"ReverseProxy:Clusters:app:Destinations:app1:Address={silo.Address}"));

        Assert.Contains("Routes:app", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the only spelling is TenantFromHost", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureRoute_ReloadedSiloRouteWithoutTenantFromHost_IsRefused()
    {
        var filter = new TenantRouteFilter();
        var good = new RouteConfig { RouteId = "scim", ClusterId = "silo", Metadata = new Dictionary<string, string> { ["TenantFromHost"] = "true" } };
        var bad = good with { Metadata = new Dictionary<string, string> { ["TenantFromHost"] = "True" } };

        Assert.Same(good, await filter.ConfigureRouteAsync(good, null, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await filter.ConfigureRouteAsync(bad, null, CancellationToken.None));
        Assert.Contains("Routes:scim", refused.Message, StringComparison.Ordinal);
    }
}
