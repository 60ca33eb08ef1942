using Microsoft.AspNetCore.Http.Features;

namespace RfpioGateway.Gateway.Edge;

/// <summary>
/// What the proxy can express to a silo. A request outside it (a method HttpClient will not send, a header value
/// outside visible ASCII, a path that only reached its route through dot segments) is the client's fault and is
/// answered at the edge: forwarded, it fails inside the proxy and would count against a healthy silo.
/// </summary>
internal static class ForwardableRequest
{
    /// <summary>The methods a tenant route serves; anything else (CONNECT, TRACE, invented ones) is a 405.</summary>
    public static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    public static bool IsForwardableMethod(string method) =>
        Methods.Contains(method, StringComparer.Ordinal);

    /// <summary>Why the request cannot be forwarded as it is, or null.</summary>
    public static string? Problem(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var header in context.Request.Headers)
        {
            foreach (var value in header.Value)
            {
                if (value is not null && !IsVisibleAscii(value))
                {
                    return $"The {header.Key} header carries characters outside visible ASCII; send header values as ASCII (RFC 9110 §5.5).";
                }
            }
        }
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is not null && HasDotSegment(raw))
        {
            return "The request path has '.' or '..' segments; send the resource's path as it is.";
        }
        return null;
    }

    private static bool IsVisibleAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is (< ' ' and not '\t') or > '~')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether the path of a request target (before any query) has a <c>.</c> or <c>..</c> segment, plain or percent-encoded.</summary>
    internal static bool HasDotSegment(string rawTarget)
    {
        var path = rawTarget.AsSpan();
        var query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }
        if (!path.Contains('.') && !path.Contains("%2e", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        foreach (var segment in path.ToString().Replace("%2f", "/", StringComparison.OrdinalIgnoreCase).Split('/'))
        {
            var decoded = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or "..")
            {
                return true;
            }
        }
        return false;
    }
}
