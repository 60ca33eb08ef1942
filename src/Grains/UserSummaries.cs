using System.Text;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains;

/// <summary>
/// Which attributes a directory shard keeps per user, and so which filters a listing can answer without an
/// index: a filter on anything else is refused with <c>invalidFilter</c> rather than answered by loading every user.
/// </summary>
public static class UserSummaries
{
    /// <summary>Attributes kept in summaries (plus <c>id</c> and <c>meta</c>).</summary>
    public static IReadOnlyList<string> Attributes { get; } = ["externalId", "userName", "displayName", "active", "name", "emails", "title", "userType", "meta"];

    private static readonly AttributeSelection Selection =
        AttributeSelection.Parse(string.Join(',', Attributes), null, ScimSchemas.UserResourceType).Value;

    private static readonly HashSet<AttributeDefinition> Kept = BuildKept();

    public static string Render(UserSnapshot user, string resourceType = "User")
    {
        ArgumentNullException.ThrowIfNull(user);
        var document = ScimDocument.Load(ScimSchemas.UserResourceType, user.Document);
        var meta = new ResourceMeta(user.Id, user.Created, user.LastModified, user.Version, null);
        return Encoding.UTF8.GetString(ResourceRenderer.Render(document, meta, Selection));
    }

    /// <summary>True when every attribute the filter names is kept in summaries (or is id/meta/schemas).</summary>
    public static bool CanAnswer(FilterNode filter, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(filter);
        missing = null;
        foreach (var path in Paths(filter, parent: null))
        {
            var resolved = ScimSchemas.UserResourceType.Resolve(path);
            if (resolved?.Attribute is not { } attribute || !Kept.Contains(attribute))
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

    /// <summary>The shard that holds a user: a stable function of the id (its random tail), never a process hash.</summary>
    public static int ShardOf(string userId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var tail = uint.Parse(userId.AsSpan(userId.Length - 8), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (int)(tail % (uint)shardCount);
    }

    private static HashSet<AttributeDefinition> BuildKept()
    {
        var kept = new HashSet<AttributeDefinition>(ReferenceEqualityComparer.Instance);
        foreach (var name in Attributes.Append("id").Append("schemas"))
        {
            kept.Add(ScimSchemas.UserResourceType.FindCoreAttribute(name)!);
        }
        return kept;
    }
}
