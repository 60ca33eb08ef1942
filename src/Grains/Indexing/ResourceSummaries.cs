using System.Text;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains;

/// <summary>
/// What a directory shard keeps per resource (its type's <see cref="ResourceType.SummaryAttributes"/>), and so which
/// filters a listing can answer without an index: a filter on anything else is refused with <c>invalidFilter</c>
/// rather than answered by loading every resource.
/// </summary>
internal static class ResourceSummaries
{
    private sealed record Kept(AttributeSelection Selection, HashSet<AttributeDefinition> Attributes);

    // Per type, built once: the selection that renders a summary and the attributes a summary can answer for.
    private static readonly Dictionary<ResourceType, Kept> ByType = ResourceTypes.All.ToDictionary(t => t, Build);

    public static string Render(ResourceType type, ResourceSnapshot resource)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(resource);
        var document = ScimDocument.Load(type.Schema, resource.Document);
        var meta = new ResourceMeta(resource.Id, resource.Created, resource.LastModified, resource.Version, null);
        return Encoding.UTF8.GetString(ResourceRenderer.Render(document, meta, ByType[type].Selection));
    }

    /// <summary>True when every attribute the filter names is kept in summaries (or is id/meta/schemas).</summary>
    public static bool CanAnswer(ResourceType type, FilterNode filter, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(filter);
        var kept = ByType[type].Attributes;
        missing = null;
        foreach (var path in Paths(filter, parent: null))
        {
            var resolved = type.Schema.Resolve(path);
            if (resolved?.Attribute is not { } attribute || !kept.Contains(attribute))
            {
                missing = path.ToString();
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<AttributePath> Paths(FilterNode node, AttributePath? parent) => node switch
    {
        LogicalFilter logical => Paths(logical.Left, parent).Concat(Paths(logical.Right, parent)),
        NotFilter not => Paths(not.Inner, parent),
        ValuePathFilter valuePath => [valuePath.Path],
        ComparisonFilter comparison => [parent ?? comparison.Path],
        PresentFilter present => [parent ?? present.Path],
        _ => [],
    };

    /// <summary>The shard that holds a resource: a stable function of the id (its random tail), never a process hash.</summary>
    public static int ShardOf(string id, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(id);
        var tail = uint.Parse(id.AsSpan(id.Length - 8), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (int)(tail % (uint)shardCount);
    }

    private static Kept Build(ResourceType type)
    {
        var selection = AttributeSelection.Parse(string.Join(',', type.SummaryAttributes), null, type.Schema).Value;
        var kept = new HashSet<AttributeDefinition>(ReferenceEqualityComparer.Instance);
        foreach (var name in type.SummaryAttributes.Append("id").Append("schemas"))
        {
            kept.Add(type.Schema.FindCoreAttribute(name)!);
        }
        return new Kept(selection, kept);
    }
}
