using RfpioGateway.Grains.Abstractions;
using RfpioGateway.ScimApi.Endpoints;

namespace RfpioGateway.ScimApi;

/// <summary>
/// The one route table of the SCIM API. It drives both the mapping and the answers for everything else: a known path
/// answers <c>HEAD</c> where it answers <c>GET</c> and <c>OPTIONS</c> with its methods, another method gets a SCIM
/// <c>405</c> with <c>Allow</c>, <c>/Me</c> a SCIM <c>501</c>, and any other path a SCIM <c>404</c>.
/// </summary>
internal static class ScimRoutes
{
    public const string BasePath = "/rfpserver/scim/v2";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public static IReadOnlyList<ScimRoute> All { get; } = Build();

    private static List<ScimRoute> Build()
    {
        var routes = new List<ScimRoute>();
        foreach (var type in ResourceTypes.All)
        {
            routes.AddRange(ResourceEndpoints.Routes(type));
        }
        routes.AddRange(RootEndpoints.Routes());
        routes.AddRange(DiscoveryEndpoints.Routes());
        return routes;
    }

    public static void MapScimRoutes(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var scim = app.MapGroup(BasePath);
        foreach (var route in All)
        {
            scim.MapMethods(route.Pattern, [route.Method], route.Handler).WithName(route.Operation).WithMetadata(route);
            if (route.Method == "GET")
            {
                // RFC 9110 §9.3.2: HEAD is GET without the body (Kestrel drops the body a HEAD answer writes).
                scim.MapMethods(route.Pattern, ["HEAD"], route.Handler).WithMetadata(route);
            }
        }
        foreach (var path in All.GroupBy(r => r.Pattern, StringComparer.Ordinal))
        {
            var allowed = Allowed(path.Select(r => r.Method));
            scim.MapMethods(path.Key, ["OPTIONS"], (HttpContext context) => Options(context, allowed));
            scim.MapMethods(path.Key, Methods.Except(allowed), (HttpContext context) => MethodNotAllowed(context, allowed));
        }
        // RFC 7644 §3.11: a token here belongs to a tenant, not to a user, so there is no "me" to alias.
        scim.Map("/Me/{**rest}", (HttpContext context) => ScimHttp.WriteErrorAsync(context, Scim.Errors.ScimError.NotImplemented(
            "/Me is not supported: a SCIM API token authenticates a tenant's provisioning client, not a user; use /Users/{id}.")));
        scim.Map("/{**rest}", (HttpContext context) =>
            ScimHttp.WriteErrorAsync(context, Scim.Errors.ScimError.NotFound($"No SCIM endpoint at {context.Request.Path}.")));
    }

    /// <summary>A path's methods as <c>Allow</c> names them: its own, HEAD where it has GET, and OPTIONS.</summary>
    private static string[] Allowed(IEnumerable<string> methods)
    {
        var own = methods.ToList();
        if (own.Contains("GET"))
        {
            own.Add("HEAD");
        }
        own.Add("OPTIONS");
        return [.. Methods.Where(own.Contains)];
    }

    private static Task Options(HttpContext context, string[] allowed)
    {
        context.Response.Headers.Allow = string.Join(", ", allowed);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task MethodNotAllowed(HttpContext context, string[] allowed)
    {
        var list = string.Join(", ", allowed);
        context.Response.Headers.Allow = list;
        return ScimHttp.WriteErrorAsync(context, Scim.Errors.ScimError.MethodNotAllowed($"{context.Request.Method} is not supported on {context.Request.Path}; use {list}."));
    }
}
