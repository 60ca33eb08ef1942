using Microsoft.Extensions.Options;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.ServiceDefaults;

namespace RfpioGateway.ScimApi.Auth;

/// <summary>The tenant of a request's host, by the rule the gateway applies too (<see cref="TenantHosts"/>).</summary>
internal sealed class TenantHostResolver(IOptions<SiloTenancyOptions> options)
{
    private readonly TenantHosts _hosts = options.Value.Hosts();

    public bool TryResolve(string host, out TenantId tenant)
    {
        tenant = default;
        return _hosts.TenantOf(host) is { } label && TenantId.TryParse(label, out tenant);
    }
}
