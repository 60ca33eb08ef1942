using RfpioGateway.ServiceDefaults;

namespace RfpioGateway.ScimApi;

/// <summary>Configuration section <c>Tenancy</c> as the silo reads it: the shared rule plus what only the silo needs.</summary>
internal sealed class SiloTenancyOptions : TenancyOptions
{
    /// <summary>Directory shards of a new tenant; fixed for its lifetime. Users per shard ≈ users ÷ this.</summary>
    public int DefaultShardCount { get; set; } = 64;

    /// <summary>The Tenant URL shown to admins; <c>{tenant}</c> is replaced.</summary>
    public string TenantUrlTemplate { get; set; } = "https://{tenant}.rfpio.com/rfpserver/scim/v2";

    /// <summary>Networks (CIDR) of gateways whose X-Forwarded-Host/-Proto/-For are believed; loopback always is.</summary>
    public List<string> TrustedProxyNetworks { get; set; } = [];
}
