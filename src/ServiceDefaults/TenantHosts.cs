namespace RfpioGateway.ServiceDefaults;

/// <summary>
/// The tenant of a host name: exactly one DNS label, <c>[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?</c>, in front of a
/// configured base domain (<c>acme.rfpio.com</c>, <c>acme.localhost</c>). Nested hosts, the apex and other domains
/// have no tenant. The gateway and the silo both decide with this one rule, so they always agree.
/// </summary>
public sealed class TenantHosts
{
    /// <summary>The base domains when none are configured.</summary>
    public static readonly IReadOnlyList<string> DefaultBaseDomains = ["rfpio.com", "localhost"];

    private readonly string[] _suffixes;

    /// <param name="baseDomains">The configured base domains; they replace the defaults, which apply only when there are none.</param>
    public TenantHosts(IEnumerable<string> baseDomains)
    {
        ArgumentNullException.ThrowIfNull(baseDomains);
        var configured = baseDomains.Select(d => "." + d.Trim().Trim('.').ToLowerInvariant()).Where(s => s.Length > 1).ToArray();
        _suffixes = configured.Length > 0 ? configured : [.. DefaultBaseDomains.Select(d => "." + d)];
    }

    /// <summary>The base domains, lower case, without a leading dot.</summary>
    public IEnumerable<string> BaseDomains => _suffixes.Select(s => s[1..]);

    /// <summary>The tenant label (lower case) of <paramref name="host"/> (no port), or null.</summary>
    public string? TenantOf(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        // A trailing-dot name is another host to every cookie, cache and certificate: not a tenant's.
        var name = host;
        foreach (var suffix in _suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                var label = name[..^suffix.Length];
                return IsLabel(label) ? label.ToLowerInvariant() : null;
            }
        }
        return null;
    }

    /// <summary>One DNS label as a tenant id (<see cref="TenantLabel"/>).</summary>
    public static bool IsLabel(ReadOnlySpan<char> label) => TenantLabel.IsValid(label);
}
