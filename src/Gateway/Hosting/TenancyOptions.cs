namespace RfpioGateway.Gateway.Hosting;

/// <summary>Configuration section <c>Tenancy</c>, shared with the silo so both derive the same tenant from a host.</summary>
public sealed class TenancyOptions
{
    /// <summary>
    /// Hosts <c>&lt;tenant&gt;.&lt;base domain&gt;</c> are tenants. The routes' Hosts list must cover them. Configured
    /// domains replace the defaults (<see cref="ServiceDefaults.TenantHosts.DefaultBaseDomains"/>), which apply only when
    /// none are configured: a list with defaults in it would have the binder add to them.
    /// </summary>
    public List<string> BaseDomains { get; set; } = [];
}
