namespace RfpioGateway.Grains.Abstractions;

/// <summary>Every resource type the service serves. Adding one is a line here (see docs/architecture.md).</summary>
public static class ResourceTypes
{
    public static IReadOnlyList<ResourceType> All { get; } = [UserResource.Type, GroupResource.Type];

    /// <summary>The type by its SCIM name (<c>User</c>), case-insensitive, or null.</summary>
    public static ResourceType? Named(string name) =>
        All.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The type whose shards have this prefix.</summary>
    public static ResourceType WithShardPrefix(string prefix) =>
        All.FirstOrDefault(t => t.ShardPrefix == prefix) ?? throw new ArgumentException($"No resource type has shard prefix '{prefix}'.", nameof(prefix));

    /// <summary>The type and attribute a uniqueness key belongs to.</summary>
    public static (ResourceType Type, UniqueAttribute Attribute) OfUniqueKeyPrefix(string prefix)
    {
        foreach (var type in All)
        {
            foreach (var attribute in type.UniqueAttributes.Concat(type.RetiredUniqueAttributes))
            {
                if (attribute.KeyPrefix == prefix)
                {
                    return (type, attribute);
                }
            }
        }
        throw new ArgumentException($"No unique attribute has key prefix '{prefix}'.", nameof(prefix));
    }
}
