using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// Checks a parsed filter against a resource type before any document is read, so an unknown attribute or an
/// impossible comparison is a 400 <c>invalidFilter</c> even when nothing would have matched.
/// </summary>
public static class FilterValidator
{
    public static ScimResult<FilterNode> Validate(FilterNode filter, ResourceTypeDefinition resourceType) =>
        ScimResult<FilterNode>.Run(() =>
        {
            ValidateOrThrow(filter, resourceType);
            return filter;
        });

    internal static void ValidateOrThrow(FilterNode filter, ResourceTypeDefinition resourceType) =>
        Visit(filter, resourceType, parent: null);

    /// <summary>Validates the filter of a value path (<c>emails[type eq "work"]</c>) against its complex attribute.</summary>
    internal static void ValidateValueFilterOrThrow(FilterNode filter, ResourceTypeDefinition resourceType, AttributeDefinition parent) =>
        Visit(filter, resourceType, parent);

    private static void Visit(FilterNode node, ResourceTypeDefinition resourceType, AttributeDefinition? parent)
    {
        switch (node)
        {
            case LogicalFilter logical:
                Visit(logical.Left, resourceType, parent);
                Visit(logical.Right, resourceType, parent);
                break;
            case NotFilter not:
                Visit(not.Inner, resourceType, parent);
                break;
            case ValuePathFilter valuePath:
                var (attribute, sub, _) = Resolve(valuePath.Path, resourceType, parent);
                if (!attribute.IsComplex || sub is not null)
                {
                    throw Error($"'{valuePath.Path}' is not a complex attribute, so it cannot take a value filter.");
                }
                Visit(valuePath.Filter, resourceType, attribute);
                break;
            case PresentFilter present:
                Resolve(present.Path, resourceType, parent);
                break;
            case ComparisonFilter comparison:
                var (compared, compareSub, _) = Resolve(comparison.Path, resourceType, parent);
                var target = compareSub ?? ComparisonTarget(compared)
                    ?? throw Error($"'{comparison.Path}' is a complex attribute without a 'value'; compare one of its sub-attributes instead.");
                CheckOperator(comparison, target);
                break;
            default:
                throw new InvalidOperationException($"Unknown filter node {node.GetType().Name}.");
        }
    }

    /// <summary>A complex attribute compared as a whole compares its <c>value</c> sub-attribute (RFC 7644 §3.4.2.2).</summary>
    internal static AttributeDefinition? ComparisonTarget(AttributeDefinition attribute) =>
        attribute.IsComplex ? attribute.FindSubAttribute("value") : attribute;

    internal static (AttributeDefinition Attribute, AttributeDefinition? Sub, SchemaDefinition? Extension) Resolve(
        AttributePath path, ResourceTypeDefinition resourceType, AttributeDefinition? parent)
    {
        if (parent is not null)
        {
            if (path.Schema is not null || path.SubAttribute is not null)
            {
                throw Error($"Inside a value filter on '{parent.Name}', '{path}' must be a plain sub-attribute name.");
            }
            var sub = parent.FindSubAttribute(path.Name)
                ?? throw Error($"'{parent.Name}' has no sub-attribute '{path.Name}'.");
            return (sub, null, null);
        }
        var resolved = resourceType.Resolve(path);
        if (resolved?.Attribute is null)
        {
            throw Error($"'{path}' is not an attribute of {resourceType.Name}.");
        }
        return (resolved.Attribute, resolved.SubAttribute, resolved.Extension);
    }

    private static void CheckOperator(ComparisonFilter comparison, AttributeDefinition target)
    {
        var value = comparison.Value;
        if (value.Kind == FilterValueKind.Null)
        {
            if (comparison.Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
            {
                throw Error($"'null' can only be compared with eq or ne ('{comparison}').");
            }
            return;
        }

        var ordering = comparison.Operator is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual
            or ComparisonOperator.LessThan or ComparisonOperator.LessThanOrEqual;
        var substring = comparison.Operator is ComparisonOperator.Contains or ComparisonOperator.StartsWith or ComparisonOperator.EndsWith;
        switch (target.Type)
        {
            case AttributeType.Boolean:
                if (ordering || substring)
                {
                    throw Error($"'{comparison.Path}' is a boolean; only eq, ne and pr apply to it.");
                }
                if (FilterComparer.AsBoolean(value) is null)
                {
                    throw Error($"'{comparison.Path}' is a boolean; {value} is not true or false.");
                }
                break;
            case AttributeType.Integer or AttributeType.Decimal:
                if (substring)
                {
                    throw Error($"'{comparison.Path}' is a number; co, sw and ew apply to strings only.");
                }
                if (FilterComparer.AsNumber(value) is null)
                {
                    throw Error($"'{comparison.Path}' is a number; {value} is not one.");
                }
                break;
            case AttributeType.DateTime:
                if (substring)
                {
                    throw Error($"'{comparison.Path}' is a dateTime; co, sw and ew apply to strings only.");
                }
                if (value.Kind != FilterValueKind.String || FilterComparer.AsInstant(value.Text) is null)
                {
                    throw Error($"'{comparison.Path}' is a dateTime; {value} is not an xsd:dateTime such as \"2024-05-13T04:42:34Z\".");
                }
                break;
            case AttributeType.Binary:
                if (ordering || substring)
                {
                    throw Error($"'{comparison.Path}' is binary; only eq, ne and pr apply to it.");
                }
                break;
            case AttributeType.Complex:
                throw Error($"'{comparison.Path}' is complex; compare one of its sub-attributes instead.");
            default:
                if (value.Kind == FilterValueKind.Boolean && (ordering || substring))
                {
                    throw Error($"'{comparison}' compares a string with a boolean.");
                }
                break;
        }
    }

    private static ScimException Error(string detail) => new(ScimError.InvalidFilter(detail));
}
