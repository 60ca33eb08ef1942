using System.Net.Sockets;
using System.Text;
using RfpioGateway.Gateway.Health;
using Yarp.ReverseProxy.Forwarder;

namespace RfpioGateway.Gateway.Tests;

/// <summary>
/// No client may take a healthy silo out of rotation: requests the proxy cannot express are answered at the edge,
/// and only failures of the silo itself count towards ejecting it.
/// </summary>
public sealed class SiloEjectionTests
{
    [Fact]
    public async Task Connect_AnonymousForUnknownTenant_405AtTheEdgeAndSiloStaysInRotation()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        for (var i = 0; i < 5; i++)
        {
            var answer = await RawHttp.SendAsync(gateway.BaseAddress, "CONNECT /rfpserver/scim/v2/Users HTTP/1.1\r\nHost: nosuchtenant.localhost");
            ScimErrorAssert.IsScimError(answer, 405);
            Assert.Contains("CONNECT", answer.Body, StringComparison.Ordinal);
            Assert.Contains("PATCH", answer.Headers["Allow"], StringComparison.Ordinal);
        }

        Assert.Equal(1, gateway.AvailableDestinations());
        Assert.Equal(0, silo.Requests);
        Assert.Equal(200, (int)(await gateway.ScimAsync("acme")).StatusCode);
    }

    [Theory]
    [InlineData("User-Agent")]
    [InlineData("If-Match")]
    [InlineData("X-Anything")]
    public async Task Get_HeaderWithRawUtf8Bytes_400AtTheEdgeAndSiloStaysInRotation(string header)
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        for (var i = 0; i < 5; i++)
        {
            var answer = await RawHttp.SendAsync(gateway.BaseAddress, $"GET /rfpserver/scim/v2/Users HTTP/1.1\r\nHost: acme.localhost\r\n{header}: café", headEncoding: Encoding.UTF8);
            ScimErrorAssert.IsScimError(answer, 400);
            Assert.Contains("\"scimType\":\"invalidSyntax\"", answer.Body, StringComparison.Ordinal);
            Assert.Contains(header, answer.Body, StringComparison.Ordinal);
        }

        Assert.Equal(1, gateway.AvailableDestinations());
        Assert.Equal(0, silo.Requests);
    }

    [Theory]
    [InlineData("/rfpserver/scim/v2/../../admin/")]
    [InlineData("/rfpserver/scim/v2/%2e%2e/%2E%2E/admin/")]
    [InlineData("/rfpserver/scim/v2/./Users")]
    public async Task Get_DotSegmentsInThePath_RefusedBeforeAnyRoute(string path)
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync(silo);

        var answer = await RawHttp.SendAsync(gateway.BaseAddress, $"GET {path} HTTP/1.1\r\nHost: acme.localhost");

        ScimErrorAssert.IsScimError(answer, 400);
        Assert.Equal(0, silo.Requests);
    }

    [Fact]
    public async Task Forward_SiloRefusesConnections_EjectedAfterThreeFailures()
    {
        // The one failure that must still count: the silo is really gone.
        await using var gateway = await GatewayServer.StartAsync([new Uri($"http://127.0.0.1:{FreePorts.Next()}/")]);
        for (var i = 0; i < 3; i++)
        {
            await ScimErrorAssert.IsScimErrorAsync(await gateway.ScimAsync("acme"), 502);
        }
        Assert.Equal(0, gateway.AvailableDestinations());
    }

    public static TheoryData<ForwarderError, Exception?, bool> Failures() => new()
    {
        { ForwarderError.Request, new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException(111)), true },
        { ForwarderError.Request, new HttpRequestException(HttpRequestError.ResponseEnded, "reset"), true },
        { ForwarderError.ResponseHeaders, new IOException("connection reset by peer"), true },
        { ForwarderError.RequestTimedOut, new OperationCanceledException(), true },
        // The proxy could not express the request: nothing about the silo.
        { ForwarderError.Request, new HttpRequestException("Request headers must contain only ASCII characters."), false },
        { ForwarderError.RequestCreation, new InvalidOperationException("method"), false },
        { ForwarderError.Request, new ArgumentException("bad header"), false },
        // The client's doing.
        { ForwarderError.RequestCanceled, new OperationCanceledException(), false },
        { ForwarderError.RequestBodyClient, new IOException("client went away"), false },
        { ForwarderError.ResponseBodyClient, new IOException("client went away"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsDestinationFailure_ByCause_CountsOnlyTheSilosOwnFailures(ForwarderError error, Exception? exception, bool counts)
    {
        Assert.Equal(counts, ConsecutiveFailuresPassivePolicy.IsDestinationFailure(new Failure(error, exception)));
    }

    private sealed record Failure(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature
    {
        Exception? IForwarderErrorFeature.Exception => Exception;
    }
}
