using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Resources;

/// <summary>
/// The canonical order of a resource type's top-level members (<c>externalId</c>, core attributes, extensions)
/// with case-insensitive indexes, computed once per resource type.
/// </summary>
internal sealed class ResourceLayout
{
    private static readonly ConditionalWeakTable<ResourceTypeDefinition, ResourceLayout> Cache = [];

    private ResourceLayout(ResourceTypeDefinition resourceType)
    {
        var attributes = new List<AttributeDefinition>();
        attributes.AddRange(ScimSchemas.CommonAttributes);
        attributes.AddRange(resourceType.Schema.Attributes);
        Attributes = attributes;
        AttributeIndex = attributes
            .Select((attribute, index) => (attribute.Name, index))
            .ToFrozenDictionary(x => x.Name, x => x.index, StringComparer.OrdinalIgnoreCase);
        Extensions = [.. resourceType.Extensions.Select(e => e.Schema)];
        ExtensionIndex = Extensions
            .Select((schema, index) => (schema.Id, index))
            .ToFrozenDictionary(x => x.Id, x => x.index, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Common then core attributes, in the order the service writes them.</summary>
    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    public FrozenDictionary<string, int> AttributeIndex { get; }

    public IReadOnlyList<SchemaDefinition> Extensions { get; }

    public FrozenDictionary<string, int> ExtensionIndex { get; }

    public static ResourceLayout For(ResourceTypeDefinition resourceType) =>
        Cache.GetValue(resourceType, static rt => new ResourceLayout(rt));
}
