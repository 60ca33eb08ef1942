using Yarp.ReverseProxy.Configuration;

namespace RfpioGateway.Gateway.Edge;

/// <summary>Refuses a reloaded proxy configuration whose route metadata breaks <see cref="TenantRoutes"/>' rules; YARP keeps the last good one.</summary>
internal sealed class TenantRouteFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => new(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        TenantRoutes.Problem(route) is { } problem ? throw new InvalidOperationException(problem) : new(route);
}
