using System.Globalization;

namespace RfpioGateway.Scim.Protocol;

/// <summary>Weak entity tags (<c>W/"7"</c>) over a resource's version number, and <c>If-Match</c>/<c>If-None-Match</c> matching.</summary>
public static class ETag
{
    public static string Format(long version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// True when an <c>If-Match</c>/<c>If-None-Match</c> header value names this version: <c>*</c>, or a
    /// comma-separated list of tags compared weakly (RFC 9110 §8.8.3.2), so <c>"7"</c> and <c>W/"7"</c> both match.
    /// </summary>
    public static bool Matches(string header, long version)
    {
        ArgumentNullException.ThrowIfNull(header);
        var wanted = version.ToString(CultureInfo.InvariantCulture);
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "*")
            {
                return true;
            }
            var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"' && tag.AsSpan(1, tag.Length - 2).SequenceEqual(wanted))
            {
                return true;
            }
        }
        return false;
    }
}
