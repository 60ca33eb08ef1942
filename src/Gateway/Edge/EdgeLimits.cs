using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RfpioGateway.Gateway.Hosting;

namespace RfpioGateway.Gateway.Edge;

/// <summary>
/// First in the pipeline: a request target or header set over the edge's limits gets a SCIM 414 or 431. Kestrel's
/// own limits sit <see cref="KestrelHeadroom"/> times higher, because Kestrel answers them with an empty body before
/// any middleware runs; only requests past that still get Kestrel's bare answer.
/// </summary>
internal sealed class EdgeLimits(RequestDelegate next, IOptions<EdgeOptions> options)
{
    public const int KestrelHeadroom = 4;

    private readonly EdgeOptions _options = options.Value;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > _options.MaxRequestTargetBytes)
        {
            return ScimEdgeErrors.WriteAsync(context, StatusCodes.Status414UriTooLong,
                $"The request target is {target.Length} bytes, over the limit of {_options.MaxRequestTargetBytes}; send long filters with POST .search.");
        }
        long headerBytes = 0;
        foreach (var header in context.Request.Headers)
        {
            foreach (var value in header.Value)
            {
                // As Kestrel counts: name, ": ", value and the line end.
                headerBytes += header.Key.Length + (value?.Length ?? 0) + 4;
            }
        }
        if (headerBytes > _options.MaxRequestHeadersTotalBytes)
        {
            return ScimEdgeErrors.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge,
                $"The request headers are {headerBytes} bytes, over the limit of {_options.MaxRequestHeadersTotalBytes}.");
        }
        return next(context);
    }
}
