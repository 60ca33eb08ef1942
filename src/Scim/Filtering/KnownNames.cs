using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// Returns the schema's own string instance for a name spelt exactly as the schema spells it, so that parsing
/// the common filters (<c>userName eq "x"</c>) allocates nothing for the attribute name.
/// </summary>
internal static class KnownNames
{
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Build();

    public static string Intern(ReadOnlySpan<char> name) =>
        Lookup.TryGetValue(name, out var known) ? known : name.ToString();

    private static Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Build()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(AttributeDefinition attribute)
        {
            names.TryAdd(attribute.Name, attribute.Name);
            foreach (var sub in attribute.SubAttributes)
            {
                Add(sub);
            }
        }
        foreach (var attribute in ScimSchemas.CommonAttributes)
        {
            Add(attribute);
        }
        foreach (var schema in ScimSchemas.All)
        {
            foreach (var attribute in schema.Attributes)
            {
                Add(attribute);
            }
        }
        return names.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
