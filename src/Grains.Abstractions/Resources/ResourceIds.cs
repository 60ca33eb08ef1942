namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// Resource ids (users and every other type) are version-7 GUIDs in 32 lower-case hex digits: time-ordered (so
/// listing by id is roughly creation order) and safe in any key. Anything else in a URL is simply not one of ours.
/// </summary>
public static class ResourceIds
{
    public static string New() => Guid.CreateVersion7().ToString("N");

    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id)
    {
        if (id is null || id.Length != 32)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
