using System.Text.Json;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// A resource type as the grains and the SCIM API see it: data, not code. Its schema (from the SCIM core), the
/// attributes that are unique per tenant, those found through a value index, those not in its document (and so not
/// in its directory summaries), the prefix of its shard keys, and how to reach its grain.
/// Every type is listed in <see cref="ResourceTypes"/>.
/// </summary>
public sealed class ResourceType
{
    /// <summary>The SCIM resource type (name, endpoint, schema and extensions).</summary>
    public required ResourceTypeDefinition Schema { get; init; }

    /// <summary>Unique attributes in a fixed order: a resource's state holds one key slot per attribute, in this order.</summary>
    public required IReadOnlyList<UniqueAttribute> UniqueAttributes { get; init; }

    /// <summary>
    /// Attributes an <c>eq</c> filter finds through an index without being unique (<c>externalId</c>, RFC 7643 §3.1):
    /// each directory shard keeps a map from value to ids over its summaries, so they must be summary attributes.
    /// </summary>
    public IReadOnlyList<string> ValueIndexes { get; init; } = [];

    /// <summary>
    /// Unique attributes this type once had, whose keys may still be stored: a resource releases such a key at its
    /// next write or delete (it is no longer in <see cref="UniqueAttributes"/>), and nothing reserves one again.
    /// </summary>
    public IReadOnlyList<UniqueAttribute> RetiredUniqueAttributes { get; init; } = [];

    /// <summary>
    /// Attributes a resource shows that are not in its stored document (a user's <c>groups</c>, a group's
    /// <c>members</c>: rows of the membership store). Directory summaries keep everything else, so every other
    /// attribute can be filtered and sorted on; these only where the membership store answers.
    /// </summary>
    public required IReadOnlyList<string> DerivedAttributes { get; init; }

    /// <summary>What a shard key has between the tenant and the shard number (<see cref="GrainKeys.Shard"/>); empty for users.</summary>
    public required string ShardPrefix { get; init; }

    /// <summary>The resource's grain, through the typed interface so the reference is made on the fast path.</summary>
    public required Func<IGrainFactory, string, IResourceGrain> Grain { get; init; }

    /// <summary>What the activity log names a resource by (a user's userName, a group's displayName).</summary>
    public required Func<ScimDocument, string?> DisplayName { get; init; }

    /// <summary>Whether a successful PATCH answers 204 rather than the resource (RFC 7644 §3.5.2 allows either).</summary>
    public bool PatchAnswersNoContent { get; init; }

    public string Name => Schema.Name;

    /// <summary>The endpoint without its slash (<c>Users</c>): the first part of the type's operation names.</summary>
    public string Plural => Schema.Endpoint.TrimStart('/');

    /// <summary>The attributes an <c>eq</c> filter is answered on by an index: <c>id</c>, the unique ones, then the value indexes.</summary>
    public IReadOnlyList<string> Indexes => _indexes ??= [.. UniqueAttributes.Select(a => a.Name).Prepend("id").Concat(ValueIndexes)];

    private IReadOnlyList<string>? _indexes;

    public IResourceGrain GrainOf(IGrainFactory grains, TenantId tenant, string id) => Grain(grains, GrainKeys.Resource(tenant, id));

    public IDirectoryShardGrain ShardOf(IGrainFactory grains, TenantId tenant, int shard) =>
        grains.Get<IDirectoryShardGrain>(GrainKeys.Shard(tenant, ShardPrefix, shard));

    /// <summary>The uniqueness key of each unique attribute the document has, in <see cref="UniqueAttributes"/> order (null where absent).</summary>
    public string?[] KeysOf(TenantId tenant, ScimDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var keys = new string?[UniqueAttributes.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var attribute = UniqueAttributes[i];
            keys[i] = ValueOf(document, attribute.Name) is { } value ? GrainKeys.Unique(tenant, attribute, value) : null;
        }
        return keys;
    }

    /// <summary>A top-level string attribute of a document, or null.</summary>
    public static string? ValueOf(ScimDocument document, string attribute)
    {
        ArgumentNullException.ThrowIfNull(document);
        return attribute switch
        {
            // Read when the document was loaded; no second parse.
            "userName" => document.UserName,
            "externalId" => document.ExternalId,
            "displayName" => document.DisplayName,
            // Canonical documents spell attributes as the schema does.
            _ => document.Root.TryGetProperty(attribute, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null,
        };
    }

    public override string ToString() => Name;
}
