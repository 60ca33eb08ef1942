using System.Globalization;
using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Protocol;

/// <summary>
/// A list or search request (RFC 7644 §3.4.2 query parameters, or a §3.4.3 <c>.search</c> body), validated:
/// the filter parsed and checked against the schema, paging normalised (<c>startIndex</c> below 1 reads as 1,
/// a negative <c>count</c> as 0, a <c>count</c> above <c>maxResults</c> is capped), sorting and projection resolved.
/// A <c>cursor</c> parameter, even empty, asks for RFC 9865 cursor paging instead of index paging.
/// </summary>
/// <param name="Cursor">Null for index paging; empty for a cursor walk's first page; else the cursor sent.</param>
public sealed record SearchRequest(
    FilterNode? Filter,
    int StartIndex,
    int Count,
    SortSpec? Sort,
    AttributeSelection Selection,
    string? Cursor = null)
{
    public static ScimResult<SearchRequest> FromQuery(
        Func<string, string?> query, ResourceTypeDefinition resourceType, ServiceProviderConfigOptions options, FilterLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Build(
            query("filter"), query("startIndex"), query("count"), query("sortBy"), query("sortOrder"),
            query("attributes"), query("excludedAttributes"), query("cursor"), resourceType, options, limits);
    }

    public static ScimResult<SearchRequest> FromBody(
        ReadOnlyMemory<byte> utf8Body, ResourceTypeDefinition resourceType, ServiceProviderConfigOptions options, FilterLimits? limits = null)
    {
        var parsed = ScimJson.Parse(utf8Body);
        if (!parsed.TryGetValue(out var document, out var error))
        {
            return error;
        }
        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return ScimError.InvalidSyntax("A search body must be a JSON object.");
            }
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in body.EnumerateObject())
            {
                var value = property.Value;
                values[property.Name] = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.Array => string.Join(',', value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())),
                    JsonValueKind.Null => null,
                    _ => value.GetRawText(),
                };
            }
            string? Get(string name) => values.GetValueOrDefault(name);
            return Build(
                Get("filter"), Get("startIndex"), Get("count"), Get("sortBy"), Get("sortOrder"),
                Get("attributes"), Get("excludedAttributes"), Get("cursor"), resourceType, options, limits);
        }
    }

    private static ScimResult<SearchRequest> Build(
        string? filterText, string? startIndexText, string? countText, string? sortBy, string? sortOrder,
        string? attributes, string? excludedAttributes, string? cursor,
        ResourceTypeDefinition resourceType, ServiceProviderConfigOptions options, FilterLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentNullException.ThrowIfNull(options);
        FilterNode? filter = null;
        if (!string.IsNullOrWhiteSpace(filterText))
        {
            var parsed = FilterParser.Parse(filterText, limits);
            if (!parsed.TryGetValue(out filter, out var filterError))
            {
                return filterError;
            }
            var validated = FilterValidator.Validate(filter, resourceType);
            if (!validated.IsSuccess)
            {
                return validated.Error;
            }
        }

        if (!TryParseInt(startIndexText, 1, out var startIndex))
        {
            return ScimError.InvalidValue($"startIndex must be an integer, not '{startIndexText}'.");
        }
        if (!TryParseInt(countText, options.MaxResults, out var count))
        {
            return ScimError.InvalidValue($"count must be an integer, not '{countText}'.");
        }

        if (cursor is not null)
        {
            // RFC 9865: the two ways of paging do not mix, and a cursor walk's count must be usable as a page size.
            if (!string.IsNullOrWhiteSpace(startIndexText))
            {
                return ScimError.InvalidValue("Send either cursor (RFC 9865) or startIndex (RFC 7644 §3.4.2.4), not both.");
            }
            if (!string.IsNullOrWhiteSpace(sortBy))
            {
                return ScimError.InvalidValue("sortBy is not offered with cursor paging; page in the server's order, or sort with startIndex paging.");
            }
            if (string.IsNullOrWhiteSpace(countText))
            {
                count = Math.Min(options.DefaultPageSize, options.MaxResults);
            }
            else if (count < 1)
            {
                return ScimError.InvalidCount($"count must be between 1 and {options.MaxResults} (pagination.maxPageSize) for a cursor walk, not {countText}.");
            }
        }

        var sort = SortSpec.Parse(sortBy, sortOrder, resourceType);
        if (!sort.TryGetValue(out var sortSpec, out var sortError))
        {
            return sortError;
        }
        var selection = AttributeSelection.Parse(attributes, excludedAttributes, resourceType);
        if (!selection.TryGetValue(out var projection, out var selectionError))
        {
            return selectionError;
        }
        return ScimResult<SearchRequest>.Success(new SearchRequest(
            filter,
            Math.Max(1, startIndex),
            Math.Clamp(count, 0, options.MaxResults),
            sortSpec,
            projection,
            cursor?.Trim()));
    }

    private static bool TryParseInt(string? text, int fallback, out int value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wide))
        {
            value = (int)Math.Clamp(wide, int.MinValue, int.MaxValue);
            return true;
        }
        value = 0;
        return false;
    }
}
