namespace RfpioGateway.ServiceDefaults;

/// <summary>
/// The tenant of a host name: exactly one DNS label, <c>[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?</c>, in front of a
/// configured base domain (<c>acme.rfpio.com</c>, <c>acme.localhost</c>). Nested hosts, the apex and other domains
/// have no tenant. The gateway and the silo both decide with this one rule, so they always agree.
/// </summary>
public sealed class TenantHosts
{
    private readonly string[] _suffixes;

    public TenantHosts(IEnumerable<string> baseDomains)
    {
        ArgumentNullException.ThrowIfNull(baseDomains);
        _suffixes = [.. baseDomains.Select(d => "." + d.Trim().Trim('.').ToLowerInvariant()).Where(s => s.Length > 1)];
    }

    /// <summary>The base domains, lower case, without a leading dot.</summary>
    public IEnumerable<string> BaseDomains => _suffixes.Select(s => s[1..]);

    /// <summary>The tenant label (lower case) of <paramref name="host"/> (no port), or null.</summary>
    public string? TenantOf(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.TrimEnd('.');
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

    /// <summary>One DNS label as a tenant id: 1–63 of <c>a-z 0-9 -</c> (any case), not starting or ending with '-'.</summary>
    public static bool IsLabel(ReadOnlySpan<char> label)
    {
        if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }
        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }
        return true;
    }
}
