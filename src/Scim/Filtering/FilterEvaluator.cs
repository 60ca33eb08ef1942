using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// Evaluates a filter against a resource representation (with <c>id</c> and <c>meta</c>). A comparison on a
/// multi-valued attribute is true when any value matches; <c>ne</c> is true when no value equals; a comparison
/// with <c>null</c> tests absence. Call <see cref="FilterValidator"/> first: this assumes a valid filter.
/// </summary>
public static class FilterEvaluator
{
    public static ScimResult<bool> Matches(FilterNode filter, JsonElement resource, ResourceTypeDefinition resourceType) =>
        ScimResult<bool>.Run(() =>
        {
            FilterValidator.ValidateOrThrow(filter, resourceType);
            return Evaluate(filter, resource, resourceType, parent: null);
        });

    /// <summary>For callers that validated the filter once and evaluate it many times.</summary>
    public static bool MatchesValidated(FilterNode filter, JsonElement resource, ResourceTypeDefinition resourceType) =>
        Evaluate(filter, resource, resourceType, parent: null);

    /// <summary>Evaluates a value-path filter against one value of a complex attribute.</summary>
    internal static bool MatchesValueFilter(FilterNode filter, JsonElement value, ResourceTypeDefinition resourceType, AttributeDefinition parent) =>
        Evaluate(filter, value, resourceType, parent);

    private static bool Evaluate(FilterNode node, JsonElement scope, ResourceTypeDefinition resourceType, AttributeDefinition? parent) =>
        node switch
        {
            LogicalFilter { Operator: LogicalOperator.And } and =>
                Evaluate(and.Left, scope, resourceType, parent) && Evaluate(and.Right, scope, resourceType, parent),
            LogicalFilter or =>
                Evaluate(or.Left, scope, resourceType, parent) || Evaluate(or.Right, scope, resourceType, parent),
            NotFilter not => !Evaluate(not.Inner, scope, resourceType, parent),
            ValuePathFilter valuePath => EvaluateValuePath(valuePath, scope, resourceType, parent),
            PresentFilter present => EvaluatePresent(present, scope, resourceType, parent),
            ComparisonFilter comparison => EvaluateComparison(comparison, scope, resourceType, parent),
            _ => throw new InvalidOperationException($"Unknown filter node {node.GetType().Name}."),
        };

    private static bool EvaluateValuePath(ValuePathFilter node, JsonElement scope, ResourceTypeDefinition resourceType, AttributeDefinition? parent)
    {
        var (attribute, _, extension) = FilterValidator.Resolve(node.Path, resourceType, parent);
        if (!TryGetAttribute(scope, attribute, extension, out var value))
        {
            return false;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.Object && Evaluate(node.Filter, element, resourceType, attribute))
                {
                    return true;
                }
            }
            return false;
        }
        // A single-valued complex attribute (manager[value eq "x"]) is a collection of one.
        return value.ValueKind == JsonValueKind.Object && Evaluate(node.Filter, value, resourceType, attribute);
    }

    private static bool EvaluatePresent(PresentFilter node, JsonElement scope, ResourceTypeDefinition resourceType, AttributeDefinition? parent)
    {
        var (attribute, sub, extension) = FilterValidator.Resolve(node.Path, resourceType, parent);
        if (!TryGetAttribute(scope, attribute, extension, out var value))
        {
            return false;
        }
        if (sub is null)
        {
            return JsonLookup.IsAssigned(value);
        }
        foreach (var candidate in Values(value, sub.Name))
        {
            if (JsonLookup.IsAssigned(candidate))
            {
                return true;
            }
        }
        return false;
    }

    private static bool EvaluateComparison(ComparisonFilter node, JsonElement scope, ResourceTypeDefinition resourceType, AttributeDefinition? parent)
    {
        var (attribute, sub, extension) = FilterValidator.Resolve(node.Path, resourceType, parent);
        var target = sub ?? FilterValidator.ComparisonTarget(attribute)!;
        var any = false;
        var anyEqual = false;
        if (TryGetAttribute(scope, attribute, extension, out var value))
        {
            var subName = sub?.Name ?? (attribute.IsComplex ? target.Name : null);
            foreach (var candidate in Values(value, subName))
            {
                if (!JsonLookup.IsAssigned(candidate))
                {
                    continue;
                }
                any = true;
                var op = node.Operator == ComparisonOperator.NotEqual ? ComparisonOperator.Equal : node.Operator;
                if (node.Value.Kind != FilterValueKind.Null && FilterComparer.Compare(candidate, target, op, node.Value))
                {
                    anyEqual = true;
                    break;
                }
            }
        }
        return (node.Operator, node.Value.Kind) switch
        {
            (ComparisonOperator.Equal, FilterValueKind.Null) => !any,
            (ComparisonOperator.NotEqual, FilterValueKind.Null) => any,
            (ComparisonOperator.NotEqual, _) => !anyEqual,
            _ => anyEqual,
        };
    }

    private static bool TryGetAttribute(JsonElement scope, AttributeDefinition attribute, SchemaDefinition? extension, out JsonElement value)
    {
        var container = scope;
        if (extension is not null && !JsonLookup.TryGetProperty(scope, extension.Id, out container))
        {
            value = default;
            return false;
        }
        return JsonLookup.TryGetProperty(container, attribute.Name, out value);
    }

    /// <summary>The values to compare: each element of an array (or its sub-attribute), or the single value.</summary>
    private static IEnumerable<JsonElement> Values(JsonElement value, string? subAttribute)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (subAttribute is null)
                {
                    yield return element;
                }
                else if (JsonLookup.TryGetProperty(element, subAttribute, out var sub))
                {
                    yield return sub;
                }
            }
        }
        else if (subAttribute is null)
        {
            yield return value;
        }
        else if (JsonLookup.TryGetProperty(value, subAttribute, out var sub))
        {
            yield return sub;
        }
    }
}
