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
        Names = new NameIndex(attributes.Select(a => a.Name));
        Extensions = [.. resourceType.Extensions.Select(e => e.Schema)];
        ExtensionNames = new NameIndex(Extensions.Select(e => e.Id));
        ExtensionAttributeNames = [.. Extensions.Select(e => new NameIndex(e.Attributes.Select(a => a.Name)))];
        ExtensionIndex = Extensions
            .Select((schema, index) => (schema.Id, index))
            .ToFrozenDictionary(x => x.Id, x => x.index, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Common then core attributes, in the order the service writes them.</summary>
    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    public FrozenDictionary<string, int> AttributeIndex { get; }

    /// <summary>Finds <see cref="Attributes"/> by a property's UTF-8 name.</summary>
    public NameIndex Names { get; }

    public NameIndex ExtensionNames { get; }

    /// <summary>Per extension, finds its attributes by name.</summary>
    public IReadOnlyList<NameIndex> ExtensionAttributeNames { get; }

    public IReadOnlyList<SchemaDefinition> Extensions { get; }

    public FrozenDictionary<string, int> ExtensionIndex { get; }

    public static ResourceLayout For(ResourceTypeDefinition resourceType) =>
        Cache.GetValue(resourceType, static rt => new ResourceLayout(rt));

    private static readonly ConditionalWeakTable<AttributeDefinition, NameIndex> SubIndexes = [];

    /// <summary>Finds a complex attribute's sub-attributes by a property's UTF-8 name.</summary>
    public static NameIndex SubAttributeNames(AttributeDefinition attribute) =>
        SubIndexes.GetValue(attribute, static a => new NameIndex(a.SubAttributes.Select(s => s.Name)));
}
