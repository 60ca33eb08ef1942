using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Gateway.Hosting;

namespace RfpioGateway.Gateway.Tests;

/// <summary>
/// The real gateway host with its shipped appsettings.json, on a free loopback port, pointed at the given
/// destinations (named silo1, silo2, ... as an operator would configure them). Requests go to 127.0.0.1 with the
/// tenant's host name in the Host header.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });

    public IServiceProvider Services => _app.Services;

    /// <summary>Silo destinations YARP would send a request to right now.</summary>
    public int AvailableDestinations()
    {
        Services.GetRequiredService<Yarp.ReverseProxy.IProxyStateLookup>().TryGetCluster("silo", out var cluster);
        return cluster!.DestinationsState.AvailableDestinations.Count;
    }

    public static async Task<GatewayServer> StartAsync(IEnumerable<Uri> destinations, params string[] settings)
    {
        var args = new List<string> { $"--contentRoot={Path.Combine(AppContext.BaseDirectory, "gateway")}", "--Urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Yarp=Error" };
        var index = 0;
        foreach (var destination in destinations)
        {
            args.Add($"--ReverseProxy:Clusters:silo:Destinations:silo{++index}:Address={destination}");
        }
        args.AddRange(settings.Select(s => "--" + s));
        var app = GatewayHost.Build([.. args]);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new GatewayServer(app, address);
    }

    public static Task<GatewayServer> StartAsync(params Upstream[] upstreams) => StartAsync(upstreams.Select(u => u.Address));

    /// <summary>A request as an IdP sends it: to the gateway, for <paramref name="host"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(string host, string path, HttpMethod? method = null, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(BaseAddress, path)) { Content = content };
        request.Headers.Host = host;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "rfpscim_test-token");
        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> ScimAsync(string tenant, string path = "/Users", HttpMethod? method = null, HttpContent? content = null, Action<HttpRequestMessage>? configure = null) =>
        SendAsync($"{tenant}.rfpio.com", "/rfpserver/scim/v2" + path, method, content, configure);

    /// <summary>One request the stand-in silo accepts, after which the gateway spends the tenant's own budget on its token.</summary>
    public async Task LearnTokenAsync(string tenant) => Assert.Equal(200, (int)(await ScimAsync(tenant)).StatusCode);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
