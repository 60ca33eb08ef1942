using Microsoft.Extensions.Options;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Silo.Scim;

/// <summary>
/// The tenant is exactly one DNS label in front of a configured base domain: <c>acme.rfpio.com</c>,
/// <c>acme.localhost</c>. Nested hosts, the apex and other domains are not tenants.
/// </summary>
public sealed class TenantHostResolver(IOptions<TenancyOptions> options)
{
    private readonly string[] _suffixes = [.. options.Value.BaseDomains.Select(d => "." + d.Trim().TrimStart('.').ToLowerInvariant())];

    public bool TryResolve(string host, out TenantId tenant)
    {
        ArgumentNullException.ThrowIfNull(host);
        tenant = default;
        var name = host.ToLowerInvariant().TrimEnd('.');
        foreach (var suffix in _suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                var label = name[..^suffix.Length];
                return !label.Contains('.', StringComparison.Ordinal) && TenantId.TryParse(label, out tenant);
            }
        }
        return false;
    }
}
