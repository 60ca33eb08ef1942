namespace RfpioGateway.Scim.Schemas;

/// <summary>A SCIM schema (RFC 7643 §7): its URN, name and top-level attributes.</summary>
public sealed record SchemaDefinition(string Id, string Name, string Description, IReadOnlyList<AttributeDefinition> Attributes)
{
    public AttributeDefinition? FindAttribute(ReadOnlySpan<char> name)
    {
        foreach (var attribute in Attributes)
        {
            if (name.Equals(attribute.Name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute;
            }
        }
        return null;
    }
}
