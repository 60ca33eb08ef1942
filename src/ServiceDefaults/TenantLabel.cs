namespace RfpioGateway;

/// <summary>
/// The tenant rule: one DNS label, 1–63 of <c>a-z 0-9 -</c> (any case), not starting or ending with '-'. The gateway
/// and the silo read tenants from hosts with it (<c>TenantHosts</c>), and tenant ids are checked with it (<c>TenantId</c>).
/// One source file compiled into both assemblies, because the grain contracts must not depend on the hosts' defaults.
/// </summary>
internal static class TenantLabel
{
    public static bool IsValid(ReadOnlySpan<char> label)
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
