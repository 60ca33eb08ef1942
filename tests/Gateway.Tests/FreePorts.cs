using System.Net;
using System.Net.Sockets;

namespace RfpioGateway.Gateway.Tests;

internal static class FreePorts
{
    /// <summary>A loopback port nothing listens on (a destination that refuses connections).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
