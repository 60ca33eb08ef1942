using System.Net;
using System.Net.Sockets;

namespace RfpioGateway.TenantAdmin.Events;

/// <summary>
/// Where a push stream may send events: <c>https</c> to a public address. Private, loopback, link-local (cloud
/// metadata at 169.254.169.254 included), unique-local, CGNAT and unspecified addresses are refused, so a stream cannot
/// reach into the cluster, unless a network is listed in <c>Events:AllowedNetworks</c>; plain <c>http</c> only to
/// loopback with <c>Events:AllowLoopbackHttp</c> (development).
/// </summary>
internal sealed class EndpointRules(EventOptions options)
{
    private readonly IPNetwork[] _allowed = [.. options.AllowedNetworks.Select(IPNetwork.Parse)];

    private static readonly IPNetwork[] Internal =
        [.. new[] { "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16",
            "::/128", "::1/128", "fc00::/7", "fe80::/10" }.Select(IPNetwork.Parse)];

    /// <summary>What is wrong with an endpoint as written, or null.</summary>
    public string? Problem(string? endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0)
        {
            return "endpoint must be an absolute https URL without credentials, such as https://app.example.com/scim-events.";
        }
        if (uri.Scheme == "http" && !(options.AllowLoopbackHttp && uri.IsLoopback))
        {
            return "endpoint must use https (plain http only to loopback with Events:AllowLoopbackHttp, for development).";
        }
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && !Allows(address))
        {
            return $"endpoint {uri.Host} is an internal address; events go to public addresses (or networks in Events:AllowedNetworks).";
        }
        return null;
    }

    public bool Allows(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (_allowed.Any(n => n.Contains(address)))
        {
            return true;
        }
        if (IPAddress.IsLoopback(address))
        {
            return options.AllowLoopbackHttp;
        }
        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !Internal.Any(n => n.Contains(address));
    }
}
