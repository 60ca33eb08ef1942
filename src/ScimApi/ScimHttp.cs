using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Protocol;

namespace RfpioGateway.ScimApi;

/// <summary>Writing SCIM responses: always <c>application/scim+json</c>, errors in the RFC 7644 §3.12 shape.</summary>
internal static class ScimHttp
{
    /// <summary>The SCIM base URL of this request's host: what locations and discovery documents are built on.</summary>
    public static string BaseUrl(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"{context.Request.Scheme}://{context.Request.Host}{ScimRoutes.BasePath}";
    }

    public static Task WriteErrorAsync(HttpContext context, ScimError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        if (Pipeline.ScimRequest.Of(context) is { } request)
        {
            // For metrics and the observers.
            request.ScimType = error.ScimType;
        }
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"SCIM\"";
        }
        return WriteAsync(context, error.Status, error.ToUtf8Json());
    }

    public static async Task WriteAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, string? etag = null, string? location = null)
    {
        Start(context, status, etag, location);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The status and headers of a SCIM answer whose body follows (buffered, or streamed without a length).</summary>
    public static void Start(HttpContext context, int status, string? etag, string? location)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ScimMediaTypes.Scim;
        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }
        if (location is not null)
        {
            response.Headers.Location = location;
        }
    }

    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ScimJson.Encoder }))
        {
            node.WriteTo(writer);
        }
        return WriteAsync(context, status, buffer.WrittenMemory);
    }

    /// <summary>
    /// Reads a request body: a content type other than (scim+)json is 415; over <paramref name="maxBytes"/> is 413,
    /// checked before and while reading, so a lying Content-Length costs nothing.
    /// </summary>
    public static async Task<ScimResult<byte[]>> ReadBodyAsync(HttpRequest request, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is { Length: > 0 } contentType && !ScimMediaTypes.IsAcceptedRequestType(contentType))
        {
            return ScimError.UnsupportedMediaType($"Content-Type '{contentType}' is not accepted; send application/scim+json or application/json.");
        }
        if (request.ContentLength > maxBytes)
        {
            return ScimError.PayloadTooLarge($"The body is {request.ContentLength} bytes; the limit is {maxBytes} (see /ServiceProviderConfig).");
        }
        using var memory = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
            {
                if (memory.Length + read > maxBytes)
                {
                    return ScimError.PayloadTooLarge($"The body is over the limit of {maxBytes} bytes (see /ServiceProviderConfig).");
                }
                memory.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ScimError.PayloadTooLarge($"The body is over the limit of {maxBytes} bytes (see /ServiceProviderConfig).");
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // The client cut the body short or went away: its doing, not a server failure, and nothing was changed.
            return ScimError.InvalidSyntax("The request body ended before it was complete; nothing was changed.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return ScimResult<byte[]>.Success(memory.ToArray());
    }
}
