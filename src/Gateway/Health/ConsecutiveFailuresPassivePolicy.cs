using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace RfpioGateway.Gateway.Health;

/// <summary>
/// Passive health: a destination that fails this many proxied requests in a row (it could not be reached, or did not
/// answer in time) is taken out of rotation for the cluster's reactivation period; one answer resets the count. Any
/// HTTP answer counts as alive: a silo answers 503 while the cluster recovers from losing another silo, and ejecting
/// it then would make things worse. Failures the client caused (it went away, sent a body over the limit) do not count. The threshold is the
/// cluster metadata <c>ConsecutiveFailuresHealthPolicy.Threshold</c> (default 3), as for YARP's active policy.
/// </summary>
public sealed class ConsecutiveFailuresPassivePolicy(IDestinationHealthUpdater updater) : IPassiveHealthCheckPolicy
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
        if (!IsDestinationFailure(context))
        {
            Volatile.Write(ref count.Value, 0);
            return;
        }
        if (Interlocked.Increment(ref count.Value) < Threshold(cluster))
        {
            return;
        }
        Volatile.Write(ref count.Value, 0);
        var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivation;
        updater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
    }

    private static bool IsDestinationFailure(HttpContext context)
    {
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error;
        return error switch
        {
            null => false,
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
                or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
                or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient => false,
            _ => true,
        };
    }

    private static int Threshold(ClusterState cluster) =>
        cluster.Model.Config.Metadata?.TryGetValue(ThresholdMetadata, out var text) == true && int.TryParse(text, out var threshold) && threshold > 0
            ? threshold
            : DefaultThreshold;
}
