using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// A filter sent to an endpoint that serves several resource types (the base URL, RFC 7644 §3.4.2): "for filtered
/// attributes that are not part of a particular resource type, the service provider SHALL treat the attribute as if
/// there is no attribute value", so a comparison or presence test on one is false. Folding those constants away
/// leaves, per type, either a constant or a filter on attributes the type has.
/// </summary>
public static class FilterFolding
{
    /// <summary>The filter as it reads for one type: <c>Constant</c> when it no longer depends on a resource.</summary>
    public readonly record struct Folded(bool? Constant, FilterNode? Filter);

    public static Folded For(FilterNode filter, ResourceTypeDefinition type)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(type);
        return Fold(filter, type);
    }

    /// <summary>True when some attribute the filter names belongs to none of the types: a mistake, not a question.</summary>
    public static AttributePath? UnknownToAll(FilterNode filter, IReadOnlyList<ResourceTypeDefinition> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        return filter switch
        {
            LogicalFilter logical => UnknownToAll(logical.Left, types) ?? UnknownToAll(logical.Right, types),
            NotFilter not => UnknownToAll(not.Inner, types),
            ValuePathFilter valuePath => Known(valuePath.Path, types) ? null : valuePath.Path,
            ComparisonFilter comparison => Known(comparison.Path, types) ? null : comparison.Path,
            PresentFilter present => Known(present.Path, types) ? null : present.Path,
            _ => null,
        };
    }

    private static bool Known(AttributePath path, IReadOnlyList<ResourceTypeDefinition> types) => types.Any(t => t.Resolve(path) is not null);

    private static Folded Fold(FilterNode node, ResourceTypeDefinition type)
    {
        switch (node)
        {
            case LogicalFilter logical:
                var left = Fold(logical.Left, type);
                var right = Fold(logical.Right, type);
                var absorbing = logical.Operator == LogicalOperator.Or;
                if (left.Constant == absorbing || right.Constant == absorbing)
                {
                    return new Folded(absorbing, null);
                }
                if (left.Constant is not null)
                {
                    return right;
                }
                if (right.Constant is not null)
                {
                    return left;
                }
                return new Folded(null, logical with { Left = left.Filter!, Right = right.Filter! });
            case NotFilter not:
                var inner = Fold(not.Inner, type);
                return inner.Constant is { } constant ? new Folded(!constant, null) : new Folded(null, not with { Inner = inner.Filter! });
            case ValuePathFilter valuePath:
                return Defined(valuePath.Path, type, node);
            case ComparisonFilter comparison:
                return Defined(comparison.Path, type, node);
            case PresentFilter present:
                return Defined(present.Path, type, node);
            default:
                throw new InvalidOperationException($"Unknown filter node {node.GetType().Name}.");
        }
    }

    private static Folded Defined(AttributePath path, ResourceTypeDefinition type, FilterNode node) =>
        type.Resolve(path) is null ? new Folded(false, null) : new Folded(null, node);
}
