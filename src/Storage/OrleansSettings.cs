namespace RfpioGateway.Storage;

/// <summary>Configuration section <c>Orleans</c>: cluster identity and ports.</summary>
public sealed class OrleansSettings
{
    public string ClusterId { get; set; } = "rfpio-gateway";
    public string ServiceId { get; set; } = "rfpio-gateway";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; loopback when unset.</summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>How long a grain may sit idle before it is deactivated; Orleans' default (15 minutes) when unset.</summary>
    public TimeSpan? GrainCollectionAge { get; set; }

    /// <summary>
    /// How long a user's grain and its userName/externalId key grains may sit idle (at most
    /// <see cref="GrainCollectionAge"/>). An IdP touches a user once per provisioning cycle (Entra: about every 40
    /// minutes), so keeping them 15 minutes buys no hits; after a 27,000-user sync they held 250 MB for those minutes.
    /// </summary>
    public TimeSpan UserGrainCollectionAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Grain addresses a silo remembers for routing calls (Orleans' directory cache, default one million). Entries
    /// outlive the grains they point at, so the cache, not the grains, is what made an idle silo's memory grow with
    /// the number of tenants it had ever served; this bounds it (about 250 bytes an entry).
    /// </summary>
    public int DirectoryCacheSize { get; set; } = 20_000;

    /// <summary>
    /// How long a directory cache entry nobody asks for is kept. Orleans' cache drops such entries on a timer, so a
    /// silo that falls quiet empties it instead of holding <see cref="DirectoryCacheSize"/> addresses of grains long gone.
    /// </summary>
    public TimeSpan DirectoryCacheIdleTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Orleans' Kubernetes hosting (cluster mode only): cluster and service id from <c>ORLEANS_CLUSTER_ID</c> /
    /// <c>ORLEANS_SERVICE_ID</c>, the address from <c>POD_IP</c>, and pods of dead silos deleted. Off outside a pod,
    /// where those variables do not exist.
    /// </summary>
    public bool Kubernetes { get; set; }
}
