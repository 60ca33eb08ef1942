using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Protocol;

/// <summary>
/// A search at the base URL (RFC 7644 §3.4.3: <c>POST /.search</c>, or <c>GET /</c> with query parameters) over
/// several resource types: one <see cref="SearchRequest"/> per type, holding the filter as it reads for that type
/// (<see cref="FilterFolding"/>) and the requested projection. An attribute no type has in a filter is a 400; <c>sortBy</c> must name an attribute every type has, so the merged order is one order.
/// </summary>
/// <param name="PerType">For each type, in the order given, its request, or null when the filter can match none of its resources.</param>
/// <param name="Filter">The filter as sent, printed (for the activity log), or null.</param>
public sealed record RootSearchRequest(int StartIndex, int Count, SortSpec? Sort, IReadOnlyList<SearchRequest?> PerType, string? Filter = null)
{
    public static ScimResult<RootSearchRequest> FromQuery(
        Func<string, string?> query, IReadOnlyList<ResourceTypeDefinition> types, ServiceProviderConfigOptions options)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Build(query, types, options);
    }

    public static ScimResult<RootSearchRequest> FromBody(
        ReadOnlyMemory<byte> utf8Body, IReadOnlyList<ResourceTypeDefinition> types, ServiceProviderConfigOptions options)
    {
        var parsed = ScimJson.Parse(utf8Body);
        if (!parsed.TryGetValue(out var document, out var error))
        {
            return error;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ScimError.InvalidSyntax("A search body must be a JSON object.");
            }
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Array => string.Join(',', property.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }
            return Build(name => values.GetValueOrDefault(name), types, options);
        }
    }

    private static ScimResult<RootSearchRequest> Build(Func<string, string?> values, IReadOnlyList<ResourceTypeDefinition> types, ServiceProviderConfigOptions options)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(options);
        if (values("cursor") is not null)
        {
            return ScimError.InvalidValue("Cursor paging (RFC 9865) is offered per resource type (/Users, /Groups); page a search at the base URL with startIndex and count.");
        }
        FilterNode? filter = null;
        if (values("filter") is { } filterText && !string.IsNullOrWhiteSpace(filterText))
        {
            var parsed = FilterParser.Parse(filterText);
            if (!parsed.TryGetValue(out filter, out var error))
            {
                return error;
            }
            if (FilterFolding.UnknownToAll(filter, types) is { } unknown)
            {
                return ScimError.InvalidFilter($"'{unknown}' is not an attribute of any resource type ({string.Join(", ", types.Select(t => t.Name))}).");
            }
        }
        SortSpec? sort = null;
        if (!string.IsNullOrWhiteSpace(values("sortBy")))
        {
            foreach (var type in types)
            {
                var parsed = SortSpec.Parse(values("sortBy"), values("sortOrder"), type);
                if (!parsed.IsSuccess)
                {
                    return ScimError.InvalidValue($"sortBy at the base URL must name an attribute every resource type has (such as id, externalId or meta.lastModified): {parsed.Error.Detail}");
                }
                sort ??= parsed.Value;
            }
        }

        var perType = new List<SearchRequest?>(types.Count);
        foreach (var type in types)
        {
            var folded = filter is null ? new FilterFolding.Folded(true, null) : FilterFolding.For(filter, type);
            // attributes and excludedAttributes pass through: a name a type does not have selects nothing of it
            // (RFC 7644 §3.9), so such a type shows only what is always returned.
            var request = SearchRequest.FromQuery(name => name == "filter" ? folded.Filter?.ToString() : values(name), type, options);
            if (!request.TryGetValue(out var value, out var error))
            {
                return error;
            }
            perType.Add(folded.Constant == false ? null : value);
        }
        var first = perType.FirstOrDefault(r => r is not null);
        var startIndex = first?.StartIndex ?? 1;
        var count = first?.Count ?? 0;
        if (first is null)
        {
            // Nothing can match; the paging parameters are still checked, through any one type.
            var checkedPaging = SearchRequest.FromQuery(name => name is "startIndex" or "count" ? values(name) : null, types[0], options);
            if (!checkedPaging.TryGetValue(out var paging, out var error))
            {
                return error;
            }
            (startIndex, count) = (paging.StartIndex, paging.Count);
        }
        return ScimResult<RootSearchRequest>.Success(new RootSearchRequest(startIndex, count, sort, perType, filter?.ToString()));
    }
}
