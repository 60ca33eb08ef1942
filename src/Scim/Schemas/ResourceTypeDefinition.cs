using RfpioGateway.Scim.Filtering;

namespace RfpioGateway.Scim.Schemas;

/// <summary>
/// A resource type (RFC 7643 §6): its core schema, its extensions, and how attribute paths resolve against them.
/// </summary>
public sealed record ResourceTypeDefinition(
    string Name,
    string Endpoint,
    string Description,
    SchemaDefinition Schema,
    IReadOnlyList<SchemaExtension> Extensions)
{
    public SchemaDefinition? FindExtension(ReadOnlySpan<char> urn)
    {
        foreach (var extension in Extensions)
        {
            if (urn.Equals(extension.Schema.Id, StringComparison.OrdinalIgnoreCase))
            {
                return extension.Schema;
            }
        }
        return null;
    }

    /// <summary>A core or common attribute by name (no URN), or null.</summary>
    public AttributeDefinition? FindCoreAttribute(ReadOnlySpan<char> name)
    {
        foreach (var common in ScimSchemas.CommonAttributes)
        {
            if (name.Equals(common.Name, StringComparison.OrdinalIgnoreCase))
            {
                return common;
            }
        }
        return Schema.FindAttribute(name);
    }

    /// <summary>
    /// Resolves a path to its attribute (and sub-attribute). Accepts a URN-qualified core attribute, an extension
    /// attribute (<c>urn:…:enterprise:2.0:User:department</c>), the legacy dotted form Entra ID used before 2019
    /// (<c>urn:…:enterprise:2.0:User.department</c>), a bare extension URN (whole extension), and an unqualified
    /// name that only one extension defines.
    /// </summary>
    public ResolvedPath? Resolve(AttributePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Schema is null)
        {
            if (FindCoreAttribute(path.Name) is { } core)
            {
                return WithSub(null, core, path.SubAttribute);
            }
            // Clients write extension attributes unqualified too ("manager eq …", path "manager"): accept them
            // when exactly one extension defines the name.
            ResolvedPath? found = null;
            foreach (var candidate in Extensions)
            {
                if (candidate.Schema.FindAttribute(path.Name) is { } attribute)
                {
                    if (found is not null)
                    {
                        return null;
                    }
                    found = WithSub(candidate.Schema, attribute, path.SubAttribute);
                }
            }
            return found;
        }

        if (path.Schema.Equals(Schema.Id, StringComparison.OrdinalIgnoreCase))
        {
            var core = FindCoreAttribute(path.Name);
            return core is null ? null : WithSub(null, core, path.SubAttribute);
        }

        if (FindExtension(path.Schema) is { } extension)
        {
            var attribute = extension.FindAttribute(path.Name);
            return attribute is null ? null : WithSub(extension, attribute, path.SubAttribute);
        }

        // "urn:…:2.0:User" was split at its last colon: the whole thing may be an extension URN, alone or
        // followed by the legacy ".attribute".
        if (FindExtension($"{path.Schema}:{path.Name}") is { } whole)
        {
            if (path.SubAttribute is null)
            {
                return new ResolvedPath(whole, null, null);
            }
            var attribute = whole.FindAttribute(path.SubAttribute);
            return attribute is null ? null : new ResolvedPath(whole, attribute, null);
        }
        return null;
    }

    private static ResolvedPath? WithSub(SchemaDefinition? extension, AttributeDefinition attribute, string? sub)
    {
        if (sub is null)
        {
            return new ResolvedPath(extension, attribute, null);
        }
        var subAttribute = attribute.FindSubAttribute(sub);
        return subAttribute is null ? null : new ResolvedPath(extension, attribute, subAttribute);
    }
}
