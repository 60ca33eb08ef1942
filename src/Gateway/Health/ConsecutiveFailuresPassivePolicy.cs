using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace RfpioGateway.Gateway.Health;

/// <summary>
/// Passive health: a destination that fails this many proxied requests in a row is taken out of rotation for the
/// cluster's reactivation period; one answer resets the count. Only failures that say something about the silo
/// count: it refused or reset the connection, broke the protocol, or accepted a request and did not answer in time.
/// A request the proxy itself could not express (a method or header HttpClient refuses), a client that went away
/// or sent a body over the limit say nothing about the silo, and counting them would let any anonymous client
/// eject a healthy one. Any HTTP answer counts as alive: a silo answers 503 while the cluster recovers from losing
/// another silo, and ejecting it then would make things worse. The threshold is the cluster metadata
/// <c>ConsecutiveFailuresHealthPolicy.Threshold</c> (default 3), as for YARP's active policy.
/// </summary>
internal sealed class ConsecutiveFailuresPassivePolicy(IDestinationHealthUpdater updater) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "ConsecutiveFailures";
    public const string ThresholdMetadata = "ConsecutiveFailuresHealthPolicy.Threshold";
    private const int DefaultThreshold = 3;
    private static readonly TimeSpan DefaultReactivation = TimeSpan.FromSeconds(10);

    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _failures = [];

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cluster);
        var count = _failures.GetValue(destination, static _ => new StrongBox<int>());
        if (context.Features.Get<IForwarderErrorFeature>() is not { } failure)
        {
            Volatile.Write(ref count.Value, 0);
            return;
        }
        if (!IsDestinationFailure(failure))
        {
            return; // neither an answer nor the silo's fault: leaves the count as it was
        }
        if (Interlocked.Increment(ref count.Value) < Threshold(cluster))
        {
            return;
        }
        Volatile.Write(ref count.Value, 0);
        var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivation;
        updater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
    }

    internal static bool IsDestinationFailure(IForwarderErrorFeature failure) => failure.Error switch
    {
        ForwarderError.RequestTimedOut => true,
        ForwarderError.Request or ForwarderError.ResponseHeaders or ForwarderError.RequestBodyDestination
            or ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeRequestDestination
            or ForwarderError.UpgradeResponseDestination => IsTransportFailure(failure.Exception),
        _ => false,
    };

    /// <summary>Whether an exception chain shows the connection to the silo failing, rather than the request being unsendable.</summary>
    private static bool IsTransportFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                    or HttpRequestError.SecureConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse
                    or HttpRequestError.HttpProtocolError }:
                case SocketException:
                case IOException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }

    private static int Threshold(ClusterState cluster) =>
        cluster.Model.Config.Metadata?.TryGetValue(ThresholdMetadata, out var text) == true && int.TryParse(text, out var threshold) && threshold > 0
            ? threshold
            : DefaultThreshold;
}
