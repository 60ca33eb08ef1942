using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;

namespace RfpioGateway.Gateway.Tests;

public sealed class DestinationTests
{
    [Fact]
    public async Task ResolveDestinationsByDns_HostName_ExpandsToOneDestinationPerAddress()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        // "localhost" stands in for a Kubernetes headless service name: DNS gives the addresses, the port stays.
        await using var gateway = await GatewayServer.StartAsync([new Uri($"http://localhost:{silo.Address.Port}/")],
            "Edge:ResolveDestinationsByDns=true", "Edge:DnsRefreshSeconds=5");

        var echo = await ScimErrorAssert.EchoAsync(await gateway.ScimAsync("acme"));

        Assert.Equal("silo1", echo.GetProperty("upstream").GetString());
        gateway.Services.GetRequiredService<IProxyStateLookup>().TryGetCluster("silo", out var cluster);
        Assert.Contains(cluster!.Destinations.Values, d => d.Model.Config.Address.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Https_CertificateFromConfiguration_ServesTlsWithHsts()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        var pfx = Path.Combine(Path.GetTempPath(), $"rfpio-gateway-{Guid.NewGuid():N}.pfx");
        string thumbprint;
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=*.rfpio.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            thumbprint = certificate.GetCertHashString();
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test"));
        }
        await using var gateway = await GatewayServer.StartAsync([silo.Address],
            "Urls=", "Kestrel:Endpoints:Https:Url=https://127.0.0.1:0", $"Kestrel:Endpoints:Https:Certificate:Path={pfx}",
            "Kestrel:Endpoints:Https:Certificate:Password=test");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint, TargetHost = "acme.rfpio.com" },
        });
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/rfpserver/scim/v2/Users"));
        message.Headers.Host = "acme.rfpio.com";

        var response = await client.SendAsync(message);

        Assert.Equal("https", gateway.BaseAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        File.Delete(pfx);
    }
}
