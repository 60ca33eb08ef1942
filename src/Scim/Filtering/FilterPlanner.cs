using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// Finds an index lookup in a validated filter: an <c>eq</c> on an indexed attribute at the top level or anywhere
/// in a top-level chain of <c>and</c>s (<c>id eq "1" and manager eq "2"</c>). <c>or</c> and <c>not</c> are never
/// narrowed, because an index hit would not bound the other branch.
/// </summary>
public static class FilterPlanner
{
    /// <param name="indexedAttributes">Schema names of indexed attributes, best first (e.g. id, userName, externalId).</param>
    public static FilterPlan Plan(FilterNode filter, ResourceTypeDefinition resourceType, IReadOnlyList<string> indexedAttributes)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentNullException.ThrowIfNull(indexedAttributes);
        IndexLookup? best = null;
        var bestRank = int.MaxValue;
        foreach (var term in AndTerms(filter))
        {
            if (term is not ComparisonFilter { Operator: ComparisonOperator.Equal } comparison
                || comparison.Value.Kind != FilterValueKind.String)
            {
                continue;
            }
            var resolved = resourceType.Resolve(comparison.Path);
            if (resolved is not { Extension: null, Attribute: { } attribute, SubAttribute: null })
            {
                continue;
            }
            for (var rank = 0; rank < indexedAttributes.Count && rank < bestRank; rank++)
            {
                if (string.Equals(attribute.Name, indexedAttributes[rank], StringComparison.Ordinal))
                {
                    best = new IndexLookup(attribute.Name, comparison.Value.Text);
                    bestRank = rank;
                }
            }
        }
        return new FilterPlan(best, filter);
    }

    private static IEnumerable<FilterNode> AndTerms(FilterNode node)
    {
        if (node is LogicalFilter { Operator: LogicalOperator.And } and)
        {
            foreach (var term in AndTerms(and.Left))
            {
                yield return term;
            }
            foreach (var term in AndTerms(and.Right))
            {
                yield return term;
            }
        }
        else
        {
            yield return node;
        }
    }
}
