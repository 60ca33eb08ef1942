using Microsoft.Extensions.Options;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.ServiceDefaults;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Silo.Scim;

/// <summary>The tenant of a request's host, by the rule the gateway applies too (<see cref="TenantHosts"/>).</summary>
public sealed class TenantHostResolver(IOptions<TenancyOptions> options)
{
    private readonly TenantHosts _hosts = new(options.Value.BaseDomains);

    public bool TryResolve(string host, out TenantId tenant)
    {
        tenant = default;
        return _hosts.TenantOf(host) is { } label && TenantId.TryParse(label, out tenant);
    }
}
