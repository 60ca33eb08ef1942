using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.ScimApi.Pipeline;

namespace RfpioGateway.ScimApi.Endpoints;

/// <summary>What one in-process request answered.</summary>
internal sealed record SubResponse(int Status, string? Location, string? ETag, byte[] Body);

/// <summary>
/// Runs one resource operation of a bulk request as if it had come alone: through the SCIM branch's telemetry and
/// authentication middleware (so the token and the provisioning switch are checked again, and the activity log and
/// metrics see it) into the very endpoint that serves it over HTTP. Nothing about an operation's rules is written twice.
/// </summary>
internal sealed class SubRequests
{
    private readonly Dictionary<(ResourceType Type, string Method), (Endpoint Endpoint, RequestDelegate Pipeline)> _routes = [];

    public SubRequests(EndpointDataSource endpoints, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        Endpoints = endpoints;
        Services = services;
    }

    private EndpointDataSource Endpoints { get; }

    private IServiceProvider Services { get; }

    /// <param name="relativePath">The path under the SCIM base path (<c>/Users/{id}</c>).</param>
    public async Task<SubResponse> RunAsync(HttpContext outer, string method, ResourceType type, string? id, string relativePath,
        byte[]? body, string? ifMatch)
    {
        ArgumentNullException.ThrowIfNull(outer);
        var (endpoint, pipeline) = Route(type, method);
        var request = new HttpRequestFeature
        {
            Protocol = outer.Request.Protocol,
            Method = method,
            Scheme = outer.Request.Scheme,
            PathBase = outer.Request.PathBase,
            Path = ScimRoutes.BasePath + relativePath,
            RawTarget = ScimRoutes.BasePath + relativePath,
            Body = body is null ? Stream.Null : new MemoryStream(body, writable: false),
        };
        var headers = request.Headers;
        foreach (var name in new[] { "Host", "Authorization", "User-Agent" })
        {
            if (outer.Request.Headers.TryGetValue(name, out var value))
            {
                headers[name] = value;
            }
        }
        if (body is not null)
        {
            headers.ContentType = Scim.Protocol.ScimMediaTypes.Scim;
            headers.ContentLength = body.Length;
        }
        if (ifMatch is not null)
        {
            headers.IfMatch = ifMatch;
        }
        using var answer = new MemoryStream();
        var responseBody = new StreamResponseBodyFeature(answer);
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(responseBody);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = outer.RequestAborted });
        if (outer.Features.Get<IHttpConnectionFeature>() is { } connection)
        {
            features.Set(connection);
        }
        var context = new DefaultHttpContext(features) { RequestServices = outer.RequestServices };
        if (id is not null)
        {
            context.Request.RouteValues["id"] = id;
        }
        context.SetEndpoint(endpoint);

        using (var span = ScimTelemetry.Source.StartActivity($"bulk {method} {type.Plural}"))
        {
            await pipeline(context);
            await responseBody.CompleteAsync();
            span?.SetTag("http.response.status_code", context.Response.StatusCode);
        }
        var response = context.Response;
        return new SubResponse(
            response.StatusCode,
            response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
            answer.ToArray());
    }

    private (Endpoint, RequestDelegate) Route(ResourceType type, string method)
    {
        lock (_routes)
        {
            if (_routes.TryGetValue((type, method), out var known))
            {
                return known;
            }
            var endpoint = Endpoints.Endpoints.OfType<RouteEndpoint>()
                .First(e => e.Metadata.GetMetadata<ScimRoute>() is { } route && route.Type == type && route.Method == method
                    && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(method) == true);
            var authenticate = ActivatorUtilities.CreateInstance<ScimAuthenticationMiddleware>(Services, endpoint.RequestDelegate!);
            var observe = ActivatorUtilities.CreateInstance<ScimRequestTelemetryMiddleware>(Services, (RequestDelegate)authenticate.InvokeAsync);
            var built = ((Endpoint)endpoint, (RequestDelegate)observe.InvokeAsync);
            _routes[(type, method)] = built;
            return built;
        }
    }
}
