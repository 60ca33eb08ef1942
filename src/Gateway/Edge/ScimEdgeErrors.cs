using System.Globalization;
using System.Text.Json;

namespace RfpioGateway.Gateway.Edge;

/// <summary>
/// Every answer the gateway makes itself is an RFC 7644 §3.12 error in <c>application/scim+json</c>: an IdP
/// that gets an HTML error page logs "cannot deserialize" and eventually quarantines the customer's job.
/// </summary>
internal static class ScimEdgeErrors
{
    public const string ContentType = "application/scim+json";

    /// <param name="allow">For a 405: the methods to list in <c>Allow</c> (set here, since the response is cleared first).</param>
    public static async Task WriteAsync(HttpContext context, int status, string detail, TimeSpan? retryAfter = null, string? scimType = null, string? allow = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.ContentType = ContentType;
        if (allow is not null)
        {
            response.Headers.Allow = allow;
        }
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var body = Body(status, detail, scimType);
        response.ContentLength = body.Length;
        // Not RequestAborted: a route timeout has cancelled it, and the 504 must still be written.
        await response.Body.WriteAsync(body, CancellationToken.None);
    }

    internal static byte[] Body(int status, string detail, string? scimType = null)
    {
        using var stream = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue("urn:ietf:params:scim:api:messages:2.0:Error");
            writer.WriteEndArray();
            writer.WriteString("status", status.ToString(CultureInfo.InvariantCulture));
            if (scimType is not null)
            {
                writer.WriteString("scimType", scimType);
            }
            writer.WriteString("detail", detail);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }
}
