using Yarp.ReverseProxy.Configuration;

namespace RfpioGateway.Gateway.Edge;

/// <summary>
/// The one reading of a route's <c>TenantFromHost</c> metadata, and its rules: the key spelt exactly, the value
/// <c>"true"</c> or <c>"false"</c>, and <c>"true"</c> on every route to the silos. Checked before the gateway starts
/// and on every configuration reload (<see cref="TenantRouteFilter"/>), so a typo refuses instead of silently dropping
/// the tenant check, the per-tenant limit and the stripping of forged forwarding headers.
/// </summary>
internal static class TenantRoutes
{
    public const string MetadataKey = "TenantFromHost";

    /// <summary>The cluster of the silos.</summary>
    public const string SiloCluster = "silo";

    public static bool TakesTenantFromHost(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(MetadataKey, out var value) && value == "true";

    /// <summary>What is wrong with a route's metadata, or null.</summary>
    public static string? Problem(string routeId, string? clusterId, IEnumerable<KeyValuePair<string, string?>> metadata)
    {
        var found = metadata.FirstOrDefault(m => string.Equals(m.Key, MetadataKey, StringComparison.OrdinalIgnoreCase));
        var shown = found.Key is null ? "none" : $"{found.Key} = \"{found.Value}\"";
        if (found.Key is not null && (found.Key != MetadataKey || found.Value is not ("true" or "false")))
        {
            return $"ReverseProxy:Routes:{routeId} has Metadata {shown}; the only spelling is {MetadataKey} = \"true\" or \"false\".";
        }
        if (string.Equals(clusterId, SiloCluster, StringComparison.OrdinalIgnoreCase) && found.Value != "true")
        {
            return $"ReverseProxy:Routes:{routeId} sends requests to the silos, so it needs Metadata:{MetadataKey} " +
                $"set to \"true\" (found {shown}): without it the tenant check, " +
                "the per-tenant rate limit and the removal of forged forwarding headers would be skipped.";
        }
        return null;
    }

    public static string? Problem(RouteConfig route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return Problem(route.RouteId, route.ClusterId,
            route.Metadata?.Select(m => new KeyValuePair<string, string?>(m.Key, m.Value)) ?? []);
    }
}
