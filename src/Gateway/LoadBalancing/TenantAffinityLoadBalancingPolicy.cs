using RfpioGateway.Gateway.Edge;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace RfpioGateway.Gateway.LoadBalancing;

/// <summary>
/// Sends each tenant to one silo, chosen by rendezvous hashing over the destinations YARP currently considers healthy.
/// A tenant's grains activate on the silo that first calls them, so keeping a tenant on one silo keeps its calls
/// local; when that silo leaves, only its tenants move. Requests without a tenant go to a random destination.
/// </summary>
internal sealed class TenantAffinityLoadBalancingPolicy : ILoadBalancingPolicy
{
    public const string PolicyName = "TenantAffinity";

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        ArgumentNullException.ThrowIfNull(availableDestinations);
        if (availableDestinations.Count == 0)
        {
            return null;
        }
        var tenant = EdgeTenant.Of(context);
        var index = tenant is null
            ? Random.Shared.Next(availableDestinations.Count)
            : RendezvousHash.Pick(tenant, availableDestinations, static d => d.DestinationId);
        return availableDestinations[index];
    }
}
