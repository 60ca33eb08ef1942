using RfpioGateway.Grains.Abstractions;
using RfpioGateway.ScimApi.Endpoints;

namespace RfpioGateway.ScimApi;

/// <summary>
/// The one route table of the SCIM API. It drives both the mapping and the answers for everything else: a known path
/// with another method gets a SCIM <c>405</c>, any other path a SCIM <c>404</c>.
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
        }
        foreach (var path in All.GroupBy(r => r.Pattern, StringComparer.Ordinal))
        {
            scim.MapMethods(path.Key, Methods.Except(path.Select(r => r.Method)), MethodNotAllowed);
        }
        scim.Map("/{**rest}", (HttpContext context) =>
            ScimHttp.WriteErrorAsync(context, Scim.Errors.ScimError.NotFound($"No SCIM endpoint at {context.Request.Path}.")));
    }

    private static Task MethodNotAllowed(HttpContext context) =>
        ScimHttp.WriteErrorAsync(context, Scim.Errors.ScimError.MethodNotAllowed($"{context.Request.Method} is not supported on {context.Request.Path}."));
}
