using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Protocol;

/// <summary>
/// <c>sortBy</c>/<c>sortOrder</c> (RFC 7644 §3.4.2.3) as a comparer over resource representations. Strings compare
/// by the attribute's caseExact, dateTimes as instants, numbers numerically, booleans false before true. A
/// multi-valued attribute sorts by its primary value, else its first. Resources without a value sort last when
/// ascending and first when descending, so descending is the exact reverse of ascending.
/// </summary>
public sealed class SortSpec : IComparer<JsonElement>
{
    private readonly AttributePath _path;
    private readonly AttributeDefinition _attribute;
    private readonly AttributeDefinition _target;
    private readonly SchemaDefinition? _extension;

    private SortSpec(AttributePath path, ResolvedPath resolved, AttributeDefinition target, SortOrder order)
    {
        _path = path;
        _attribute = resolved.Attribute!;
        _extension = resolved.Extension;
        _target = target;
        Order = order;
        SubAttribute = resolved.SubAttribute?.Name ?? (_attribute.IsComplex ? target.Name : null);
    }

    public SortOrder Order { get; }

    /// <summary>The attribute path as sent (resolved against the schema when parsed).</summary>
    public AttributePath Path => _path;

    /// <summary>The attribute's schema name, e.g. <c>userName</c> or <c>meta.lastModified</c>.</summary>
    public string AttributeName => SubAttribute is null ? _attribute.Name : $"{_attribute.Name}.{SubAttribute}";

    private string? SubAttribute { get; }

    /// <summary>Null when <paramref name="sortBy"/> is absent: the service's own stable order applies.</summary>
    public static ScimResult<SortSpec?> Parse(string? sortBy, string? sortOrder, ResourceTypeDefinition resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var order = SortOrder.Ascending;
        if (!string.IsNullOrWhiteSpace(sortOrder))
        {
            if (sortOrder.Equals("descending", StringComparison.OrdinalIgnoreCase))
            {
                order = SortOrder.Descending;
            }
            else if (!sortOrder.Equals("ascending", StringComparison.OrdinalIgnoreCase))
            {
                return ScimError.InvalidValue($"sortOrder must be 'ascending' or 'descending', not '{sortOrder}'.");
            }
        }
        if (string.IsNullOrWhiteSpace(sortBy))
        {
            return ScimResult<SortSpec?>.Success(null);
        }
        var path = AttributePath.TryParse(sortBy.Trim());
        var resolved = path is null ? null : resourceType.Resolve(path);
        if (path is null || resolved?.Attribute is null)
        {
            return ScimError.InvalidValue($"sortBy '{sortBy}' is not an attribute of {resourceType.Name}.");
        }
        var target = resolved.SubAttribute ?? FilterValidator.ComparisonTarget(resolved.Attribute);
        if (target is null || target.IsComplex || target.Type == AttributeType.Binary)
        {
            return ScimError.InvalidValue($"sortBy '{sortBy}' names an attribute that cannot be sorted on.");
        }
        return ScimResult<SortSpec?>.Success(new SortSpec(path, resolved, target, order));
    }

    public int Compare(JsonElement x, JsonElement y)
    {
        var left = ValueOf(x);
        var right = ValueOf(y);
        int order;
        if (left is null || right is null)
        {
            // Missing values go last when ascending; descending reverses everything.
            order = left is null ? (right is null ? 0 : 1) : -1;
        }
        else
        {
            order = CompareValues(left.Value, right.Value);
        }
        return Order == SortOrder.Ascending ? order : -order;
    }

    private JsonElement? ValueOf(JsonElement resource)
    {
        var container = resource;
        if (_extension is not null && !JsonLookup.TryGetProperty(resource, _extension.Id, out container))
        {
            return null;
        }
        if (!JsonLookup.TryGetProperty(container, _attribute.Name, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            JsonElement? first = null;
            foreach (var element in value.EnumerateArray())
            {
                first ??= element;
                if (JsonLookup.TryGetProperty(element, "primary", out var primary) && primary.ValueKind == JsonValueKind.True)
                {
                    first = element;
                    break;
                }
            }
            if (first is null)
            {
                return null;
            }
            value = first.Value;
        }
        if (SubAttribute is not null && !JsonLookup.TryGetProperty(value, SubAttribute, out value))
        {
            return null;
        }
        return JsonLookup.IsAssigned(value) ? value : null;
    }

    private int CompareValues(JsonElement left, JsonElement right)
    {
        switch (_target.Type)
        {
            case AttributeType.Boolean when left.ValueKind is JsonValueKind.True or JsonValueKind.False && right.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return left.GetBoolean().CompareTo(right.GetBoolean());
            case AttributeType.Integer or AttributeType.Decimal when left.TryGetDecimal(out var a) && right.TryGetDecimal(out var b):
                return a.CompareTo(b);
            case AttributeType.DateTime when left.ValueKind == JsonValueKind.String && right.ValueKind == JsonValueKind.String
                && FilterComparer.AsInstant(left.GetString()!) is { } l && FilterComparer.AsInstant(right.GetString()!) is { } r:
                return l.CompareTo(r);
        }
        var comparison = _target.CaseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return string.Compare(Text(left), Text(right), comparison);
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    public override string ToString() => $"{_path} {(Order == SortOrder.Ascending ? "ascending" : "descending")}";
}
