namespace RfpioGateway.Silo.Hosting;

/// <summary>Configuration section <c>Tenancy</c>.</summary>
public sealed class TenancyOptions
{
    /// <summary>
    /// Hosts <c>&lt;tenant&gt;.&lt;base domain&gt;</c> are SCIM tenants. Configured domains replace the defaults
    /// (<see cref="ServiceDefaults.TenantHosts.DefaultBaseDomains"/>), which apply only when none are configured.
    /// </summary>
    public List<string> BaseDomains { get; set; } = [];

    /// <summary>Directory shards of a new tenant; fixed for its lifetime. Users per shard ≈ users ÷ this.</summary>
    public int DefaultShardCount { get; set; } = 64;

    /// <summary>The Tenant URL shown to admins; <c>{tenant}</c> is replaced.</summary>
    public string TenantUrlTemplate { get; set; } = "https://{tenant}.rfpio.com/rfpserver/scim/v2";

    /// <summary>Networks (CIDR) of gateways whose X-Forwarded-Host/-Proto/-For are believed; loopback always is.</summary>
    public List<string> TrustedProxyNetworks { get; set; } = [];
}

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// Key of the HMAC that stores tokens. Every silo of a cluster needs the same one; a single node without it
    /// generates one and keeps it beside its database.
    /// </summary>
    public string? TokenPepper { get; set; }

    /// <summary>How long a silo trusts a token verdict: revocation, rotation and switching off reach every silo within this.</summary>
    public int VerdictCacheSeconds { get; set; } = 10;
}

/// <summary>Configuration section <c>Admin</c>.</summary>
public sealed class AdminOptions
{
    /// <summary>Bearer key of the operator API. A single node without one generates it and writes it to the data folder.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary><c>Sqlite</c> (default, one node), <c>AzureStorage</c> (clusters), or <c>Memory</c> (tests only).</summary>
    public string Provider { get; set; } = "Sqlite";

    public SqliteSettings Sqlite { get; set; } = new();

    public AzureStorageSettings AzureStorage { get; set; } = new();

    public sealed class SqliteSettings
    {
        public string Path { get; set; } = "data/rfpio-gateway.db";
    }

    /// <summary>Exactly one of the two: an account key in a connection string, or the table endpoint and an Entra ID identity.</summary>
    public sealed class AzureStorageSettings
    {
        public string? ConnectionString { get; set; }

        /// <summary>
        /// The account's table endpoint, e.g. <c>https://account.table.core.windows.net/</c>. The silo signs in with
        /// <c>DefaultAzureCredential</c> (AKS workload identity, a managed identity, or a developer's az login); the
        /// identity needs "Storage Table Data Contributor" on the account.
        /// </summary>
        public Uri? TableServiceUri { get; set; }
    }
}

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
