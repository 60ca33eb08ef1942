using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace RfpioGateway.Gateway.Health;

/// <summary>
/// Ready while the silo cluster has at least one healthy destination: one that passed its last active probe (when
/// probes are on) and is not ejected by passive health. A destination not probed yet does not count, so a gateway
/// that starts before its silos does not report ready.
/// </summary>
internal sealed class GatewayReadiness(IProxyStateLookup proxy) : IHealthCheck
{
    public const string ClusterId = "silo";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxy.TryGetCluster(ClusterId, out var cluster))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"No cluster '{ClusterId}' is configured (ReverseProxy:Clusters:{ClusterId})."));
        }
        var probed = cluster.Model.Config.HealthCheck?.Active?.Enabled == true;
        var available = cluster.DestinationsState.AvailableDestinations.Count(d => !probed || d.Health.Active == DestinationHealth.Healthy);
        return Task.FromResult(available > 0
            ? HealthCheckResult.Healthy($"{available} of {cluster.Destinations.Count} silo destinations are healthy.")
            : HealthCheckResult.Unhealthy($"None of the {cluster.Destinations.Count} silo destinations is healthy."));
    }
}
