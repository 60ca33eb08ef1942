using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace RfpioGateway.Gateway.Health;

/// <summary>Ready while the silo cluster has at least one destination YARP would send a request to.</summary>
public sealed class GatewayReadiness(IProxyStateLookup proxy) : IHealthCheck
{
    public const string ClusterId = "silo";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxy.TryGetCluster(ClusterId, out var cluster))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"No cluster '{ClusterId}' is configured (ReverseProxy:Clusters:{ClusterId})."));
        }
        var available = cluster.DestinationsState.AvailableDestinations.Count;
        return Task.FromResult(available > 0
            ? HealthCheckResult.Healthy($"{available} of {cluster.Destinations.Count} silo destinations are available.")
            : HealthCheckResult.Unhealthy($"None of the {cluster.Destinations.Count} silo destinations is available."));
    }
}
