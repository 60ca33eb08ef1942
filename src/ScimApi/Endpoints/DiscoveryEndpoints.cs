using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.ScimApi.Endpoints;

/// <summary>What a client asks before provisioning (RFC 7644 §4): answered from <see cref="ResourceTypes.All"/>, so a new type shows up by itself.</summary>
internal static class DiscoveryEndpoints
{
    private static readonly SchemaDefinition[] Served =
        [.. ResourceTypes.All.SelectMany(t => t.Schema.Extensions.Select(e => e.Schema).Prepend(t.Schema.Schema)).Distinct()];

    public static IEnumerable<ScimRoute> Routes()
    {
        yield return new("/ServiceProviderConfig", "GET", ScimOperations.ServiceProviderConfig,
            (HttpContext c, ServiceProviderConfigOptions o) => ServiceProviderConfig(c, o));
        yield return new("/Schemas", "GET", ScimOperations.ListSchemas, (HttpContext c) => Schemas(c));
        yield return new("/Schemas/{id}", "GET", ScimOperations.GetSchema, (HttpContext c, string id) => Schema(c, id));
        yield return new("/ResourceTypes", "GET", ScimOperations.ListResourceTypes, (HttpContext c) => ListResourceTypes(c));
        yield return new("/ResourceTypes/{name}", "GET", ScimOperations.GetResourceType, (HttpContext c, string name) => GetResourceType(c, name));
    }

    private static Task ServiceProviderConfig(HttpContext context, ServiceProviderConfigOptions options) =>
        ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, DiscoveryDocuments.ServiceProviderConfig(options, ScimHttp.BaseUrl(context)));

    private static Task Schemas(HttpContext context) =>
        ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK,
            DiscoveryDocuments.ListResponse([.. Served.Select(s => DiscoveryDocuments.Schema(s, ScimHttp.BaseUrl(context)))]));

    private static Task Schema(HttpContext context, string id) =>
        Served.FirstOrDefault(s => s.Id.Equals(id, StringComparison.OrdinalIgnoreCase)) is { } schema
            ? ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, DiscoveryDocuments.Schema(schema, ScimHttp.BaseUrl(context)))
            : ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"No schema '{id}'."));

    private static Task ListResourceTypes(HttpContext context) =>
        ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK,
            DiscoveryDocuments.ListResponse([.. ResourceTypes.All.Select(t => DiscoveryDocuments.ResourceType(t.Schema, ScimHttp.BaseUrl(context)))]));

    private static Task GetResourceType(HttpContext context, string name) =>
        ResourceTypes.Named(name) is { } type
            ? ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, DiscoveryDocuments.ResourceType(type.Schema, ScimHttp.BaseUrl(context)))
            : ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"No resource type '{name}'."));
}
