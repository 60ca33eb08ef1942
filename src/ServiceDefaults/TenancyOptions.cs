namespace RfpioGateway.ServiceDefaults;

/// <summary>
/// Configuration section <c>Tenancy</c> as both hosts read it, so the gateway and the silo derive the same tenant
/// from a host. The silo binds a richer class derived from this one.
/// </summary>
public class TenancyOptions
{
    /// <summary>
    /// Hosts <c>&lt;tenant&gt;.&lt;base domain&gt;</c> are tenants. The gateway's routes' Hosts list must cover them.
    /// Configured domains replace the defaults (<see cref="TenantHosts.DefaultBaseDomains"/>), which apply only when
    /// none are configured: a list with defaults in it would have the binder add to them.
    /// </summary>
    public List<string> BaseDomains { get; set; } = [];

    /// <summary>The rule these settings define.</summary>
    public TenantHosts Hosts() => new(BaseDomains);
}
