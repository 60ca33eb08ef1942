using System.Text;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Grains;

/// <summary>
/// What a directory shard keeps per resource: the whole document as a client would read it (every attribute but the
/// derived ones, <see cref="ResourceType.DerivedAttributes"/>), so any filter or sort on the schema's attributes is
/// answered from the shards without loading a resource. A summary starts with <see cref="Marker"/>, which earlier
/// revisions' narrower summaries lack: <see cref="IsCurrent"/> tells them apart so the directory can re-render them.
/// </summary>
internal static class ResourceSummaries
{
    /// <summary>The first bytes of a summary of this shape; a property no SCIM attribute can be named.</summary>
    public const string Marker = "{\"~shape\":2,";

    public static string Render(ResourceType type, ResourceSnapshot resource)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(resource);
        return Render(ScimDocument.Load(type.Schema, resource.Document), resource);
    }

    /// <summary>The summary of <paramref name="resource"/>, whose document the caller has loaded already.</summary>
    public static string Render(ScimDocument document, ResourceSnapshot resource)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(resource);
        var meta = new ResourceMeta(resource.Id, resource.Created, resource.LastModified, resource.Version, null);
        var json = Encoding.UTF8.GetString(ResourceRenderer.Render(document, meta, AttributeSelection.Default));
        return string.Concat(Marker, json.AsSpan(1));
    }

    /// <summary>Whether a stored summary has this revision's shape (else it holds only some attributes).</summary>
    public static bool IsCurrent(string json) => json.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>False when the filter names an attribute the summaries do not hold (a derived one).</summary>
    public static bool CanAnswer(ResourceType type, FilterNode filter, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(filter);
        missing = null;
        foreach (var path in Paths(filter, parent: null))
        {
            if (IsDerived(type, path))
            {
                missing = path.ToString();
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether a path names an attribute the resource's document does not hold.</summary>
    public static bool IsDerived(ResourceType type, AttributePath path)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(path);
        return type.Schema.Resolve(path) is { Extension: null, Attribute: { } attribute } && type.DerivedAttributes.Contains(attribute.Name);
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
}
