using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Resources;

/// <summary>
/// The <c>attributes</c> / <c>excludedAttributes</c> query parameters (RFC 7644 §3.4.2.5) resolved against a
/// resource type. Combined with each attribute's <c>returned</c> characteristic it decides what a response shows.
/// Names that match no attribute are ignored, as a client asking for an attribute we do not have gets it absent.
/// </summary>
public sealed class AttributeSelection
{
    private readonly Dictionary<AttributeDefinition, HashSet<AttributeDefinition>?> _included = [];
    private readonly Dictionary<AttributeDefinition, HashSet<AttributeDefinition>?> _excluded = [];
    private readonly HashSet<SchemaDefinition> _includedExtensions = [];
    private readonly HashSet<SchemaDefinition> _excludedExtensions = [];

    private AttributeSelection(bool hasInclusions) => HasInclusions = hasInclusions;

    /// <summary>Everything returned by default.</summary>
    public static AttributeSelection Default { get; } = new(hasInclusions: false);

    public bool HasInclusions { get; }

    public static ScimResult<AttributeSelection> Parse(string? attributes, string? excludedAttributes, ResourceTypeDefinition resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var included = Split(attributes);
        var excluded = Split(excludedAttributes);
        if (included.Length == 0 && excluded.Length == 0)
        {
            return ScimResult<AttributeSelection>.Success(Default);
        }
        var selection = new AttributeSelection(included.Length > 0);
        foreach (var name in included)
        {
            if (!Add(name, resourceType, selection._included, selection._includedExtensions))
            {
                return ScimError.InvalidValue($"'{name}' in 'attributes' is not a valid attribute path.");
            }
        }
        foreach (var name in excluded)
        {
            if (!Add(name, resourceType, selection._excluded, selection._excludedExtensions))
            {
                return ScimError.InvalidValue($"'{name}' in 'excludedAttributes' is not a valid attribute path.");
            }
        }
        return ScimResult<AttributeSelection>.Success(selection);
    }

    /// <summary>Whether an attribute appears, and if only some of its sub-attributes do, which.</summary>
    internal bool Includes(AttributeDefinition attribute, SchemaDefinition? extension, out IReadOnlySet<AttributeDefinition>? onlySubs, out IReadOnlySet<AttributeDefinition>? excludedSubs)
    {
        onlySubs = null;
        excludedSubs = null;
        switch (attribute.Returned)
        {
            case Returned.Never:
                return false;
            case Returned.Always:
                return true;
        }
        if (HasInclusions)
        {
            if (extension is not null && _includedExtensions.Contains(extension))
            {
                return true;
            }
            if (!_included.TryGetValue(attribute, out var subs))
            {
                return false;
            }
            onlySubs = subs;
        }
        else if (attribute.Returned == Returned.Request)
        {
            return false;
        }

        if (extension is not null && _excludedExtensions.Contains(extension))
        {
            return false;
        }
        if (_excluded.TryGetValue(attribute, out var excludedSet))
        {
            if (excludedSet is null)
            {
                return false;
            }
            excludedSubs = excludedSet;
        }
        return true;
    }

    /// <summary>Whether a core attribute appears (for attributes a server computes rather than stores, such as a group's members).</summary>
    public bool Shows(AttributeDefinition attribute, out IReadOnlySet<AttributeDefinition>? onlySubs, out IReadOnlySet<AttributeDefinition>? excludedSubs) =>
        Includes(attribute, null, out onlySubs, out excludedSubs);

    public static bool IncludesSub(AttributeDefinition sub, IReadOnlySet<AttributeDefinition>? onlySubs, IReadOnlySet<AttributeDefinition>? excludedSubs) =>
        sub.Returned switch
        {
            Returned.Never => false,
            Returned.Always => true,
            _ => (onlySubs is null ? sub.Returned != Returned.Request : onlySubs.Contains(sub)) && excludedSubs?.Contains(sub) != true,
        };

    private static bool Add(string name, ResourceTypeDefinition resourceType, Dictionary<AttributeDefinition, HashSet<AttributeDefinition>?> target, HashSet<SchemaDefinition> extensions)
    {
        if (resourceType.FindExtension(name) is { } wholeExtension)
        {
            extensions.Add(wholeExtension);
            return true;
        }
        var path = AttributePath.TryParse(name);
        if (path is null)
        {
            return false;
        }
        var resolved = resourceType.Resolve(path);
        switch (resolved)
        {
            case null:
                return true;
            case { Attribute: null, Extension: { } extension }:
                extensions.Add(extension);
                return true;
            case { Attribute: { } attribute, SubAttribute: null }:
                target[attribute] = null;
                return true;
            case { Attribute: { } attribute, SubAttribute: { } sub }:
                if (target.TryGetValue(attribute, out var subs))
                {
                    subs?.Add(sub);
                }
                else
                {
                    target[attribute] = [sub];
                }
                return true;
        }
        return true;
    }

    private static string[] Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
