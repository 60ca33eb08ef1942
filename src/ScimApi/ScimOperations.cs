using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.ScimApi;

/// <summary>
/// The names of the SCIM operations: the routes' names, and so the operation in metrics, span tags and activity
/// records. A resource type's operations are <c>{endpoint}.{verb}</c> (<c>Users.Create</c>); one list, so the
/// activity filter can offer exactly the names the routes carry.
/// </summary>
internal static class ScimOperations
{
    public const string Create = "Create";
    public const string Get = "Get";
    public const string List = "List";
    public const string Search = "Search";
    public const string Replace = "Replace";
    public const string Patch = "Patch";
    public const string Delete = "Delete";

    /// <summary>The verbs of every resource type, in the order the activity filter lists them.</summary>
    public static IReadOnlyList<string> Verbs { get; } = [Create, Get, List, Search, Replace, Patch, Delete];

    public const string ServiceProviderConfig = "ServiceProviderConfig";
    public const string ListSchemas = "Schemas.List";
    public const string GetSchema = "Schemas.Get";
    public const string ListResourceTypes = "ResourceTypes.List";
    public const string GetResourceType = "ResourceTypes.Get";
    public const string Bulk = "Bulk";

    /// <summary>A query across every resource type at the base URL (RFC 7644 §3.4.2 <c>GET /</c>, §3.4.3 <c>POST /.search</c>).</summary>
    public const string RootList = "Root.List";
    public const string RootSearch = "Root.Search";

    /// <summary>A request under the SCIM base path that no operation matched (404s, 405s).</summary>
    public const string Other = "other";

    public static string Of(ResourceType type, string verb)
    {
        ArgumentNullException.ThrowIfNull(type);
        return $"{type.Plural}.{verb}";
    }

    /// <summary>The verb of a resource operation (<c>Create</c> of <c>Users.Create</c>), or null for the others.</summary>
    public static string? VerbOf(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var dot = operation.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? null : operation[(dot + 1)..];
    }

    public static IReadOnlyList<string> All { get; } =
        [.. ResourceTypes.All.SelectMany(t => Verbs.Select(v => Of(t, v))),
         ServiceProviderConfig, ListSchemas, GetSchema, ListResourceTypes, GetResourceType, Bulk, RootList, RootSearch, Other];
}
