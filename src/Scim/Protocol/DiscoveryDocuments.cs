using System.Text.Json.Nodes;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Protocol;

/// <summary>
/// The discovery representations of RFC 7643 §5–7 (<c>/ServiceProviderConfig</c>, <c>/ResourceTypes</c>,
/// <c>/Schemas</c>), generated from the schema data: camel-cased values, no nulls.
/// </summary>
public static class DiscoveryDocuments
{
    /// <param name="baseUrl">The SCIM base URL without a trailing slash, for <c>meta.location</c>; null leaves it relative.</param>
    public static JsonObject ServiceProviderConfig(ServiceProviderConfigOptions options, string? baseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessages.ServiceProviderConfig),
            ["documentationUri"] = options.DocumentationUri,
            ["patch"] = new JsonObject { ["supported"] = true },
            ["bulk"] = new JsonObject { ["supported"] = true, ["maxOperations"] = options.MaxOperations, ["maxPayloadSize"] = options.MaxPayloadSize },
            ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = options.MaxResults },
            ["changePassword"] = new JsonObject { ["supported"] = false },
            ["sort"] = new JsonObject { ["supported"] = options.SortSupported },
            ["etag"] = new JsonObject { ["supported"] = options.ETagSupported },
            // RFC 9865 §4: both kinds of paging; index stays the default, as every RFC 7644 client expects.
            ["pagination"] = new JsonObject
            {
                ["cursor"] = true,
                ["index"] = true,
                ["defaultPaginationMethod"] = "index",
                ["defaultPageSize"] = options.DefaultPageSize,
                ["maxPageSize"] = options.MaxResults,
                ["cursorTimeout"] = (int)options.CursorTimeout.TotalSeconds,
            },
            ["authenticationSchemes"] = new JsonArray(new JsonObject
            {
                ["type"] = "oauthbearertoken",
                ["name"] = "SCIM API token",
                ["description"] = "The tenant's SCIM API token, sent as 'Authorization: Bearer <token>'.",
                ["primary"] = true,
            }),
            ["meta"] = Meta("ServiceProviderConfig", $"{baseUrl}/ServiceProviderConfig"),
        };
    }

    public static JsonObject ResourceType(ResourceTypeDefinition resourceType, string? baseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var extensions = new JsonArray();
        foreach (var extension in resourceType.Extensions)
        {
            extensions.Add(new JsonObject { ["schema"] = extension.Schema.Id, ["required"] = extension.Required });
        }
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessages.ResourceType),
            ["id"] = resourceType.Name,
            ["name"] = resourceType.Name,
            ["endpoint"] = resourceType.Endpoint,
            ["description"] = resourceType.Description,
            ["schema"] = resourceType.Schema.Id,
            ["schemaExtensions"] = extensions,
            ["meta"] = Meta("ResourceType", $"{baseUrl}/ResourceTypes/{resourceType.Name}"),
        };
    }

    /// <summary>
    /// A schema's representation. The User and Group schemas also list <c>externalId</c>: strictly a common
    /// attribute (RFC 7643 §3.1), but Entra ID's schema discovery only offers attributes it finds here.
    /// </summary>
    public static JsonObject Schema(SchemaDefinition schema, string? baseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var attributes = new JsonArray();
        if (schema.Id is ScimSchemas.UserUrn or ScimSchemas.GroupUrn)
        {
            attributes.Add(Attribute(ScimSchemas.CommonAttributes[1]));
        }
        foreach (var attribute in schema.Attributes)
        {
            attributes.Add(Attribute(attribute));
        }
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessages.Schema),
            ["id"] = schema.Id,
            ["name"] = schema.Name,
            ["description"] = schema.Description,
            ["attributes"] = attributes,
            ["meta"] = Meta("Schema", $"{baseUrl}/Schemas/{schema.Id}"),
        };
    }

    public static JsonObject ListResponse(IReadOnlyList<JsonObject> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var list = new JsonArray();
        foreach (var resource in resources)
        {
            list.Add(resource);
        }
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessages.ListResponse),
            ["totalResults"] = resources.Count,
            ["itemsPerPage"] = resources.Count,
            ["startIndex"] = 1,
            ["Resources"] = list,
        };
    }

    private static JsonObject Attribute(AttributeDefinition attribute)
    {
        var json = new JsonObject
        {
            ["name"] = attribute.Name,
            ["type"] = Camel(attribute.Type.ToString()),
            ["multiValued"] = attribute.MultiValued,
            ["description"] = attribute.Description,
            ["required"] = attribute.Required,
        };
        if (!attribute.IsComplex)
        {
            json["caseExact"] = attribute.CaseExact;
        }
        if (attribute.CanonicalValues.Count > 0)
        {
            json["canonicalValues"] = new JsonArray([.. attribute.CanonicalValues.Select(v => (JsonNode)v)]);
        }
        if (attribute.ReferenceTypes.Count > 0)
        {
            json["referenceTypes"] = new JsonArray([.. attribute.ReferenceTypes.Select(v => (JsonNode)v)]);
        }
        json["mutability"] = Camel(attribute.Mutability.ToString());
        json["returned"] = Camel(attribute.Returned.ToString());
        json["uniqueness"] = Camel(attribute.Uniqueness.ToString());
        if (attribute.SubAttributes.Count > 0)
        {
            json["subAttributes"] = new JsonArray([.. attribute.SubAttributes.Select(s => (JsonNode)Attribute(s))]);
        }
        return json;
    }

    private static JsonObject Meta(string resourceType, string location) =>
        new() { ["resourceType"] = resourceType, ["location"] = location };

    private static string Camel(string pascal) => string.Concat(char.ToLowerInvariant(pascal[0]).ToString(), pascal[1..]);
}
