namespace RfpioGateway.Scim.Schemas;

/// <summary>
/// One attribute of a schema with its RFC 7643 §7 characteristics. Names are matched case-insensitively
/// everywhere (RFC 7643 §2.1); <see cref="Name"/> is the casing the service writes.
/// </summary>
public sealed record AttributeDefinition
{
    public required string Name { get; init; }
    public AttributeType Type { get; init; } = AttributeType.String;
    public bool MultiValued { get; init; }
    public string Description { get; init; } = "";
    public bool Required { get; init; }
    public bool CaseExact { get; init; }
    public Mutability Mutability { get; init; } = Mutability.ReadWrite;
    public Returned Returned { get; init; } = Returned.Default;
    public Uniqueness Uniqueness { get; init; } = Uniqueness.None;
    public IReadOnlyList<string> CanonicalValues { get; init; } = [];
    public IReadOnlyList<string> ReferenceTypes { get; init; } = [];
    public IReadOnlyList<AttributeDefinition> SubAttributes { get; init; } = [];

    public bool IsComplex => Type == AttributeType.Complex;

    /// <summary>Case-insensitive lookup of a sub-attribute, or null.</summary>
    public AttributeDefinition? FindSubAttribute(ReadOnlySpan<char> name)
    {
        foreach (var sub in SubAttributes)
        {
            if (name.Equals(sub.Name, StringComparison.OrdinalIgnoreCase))
            {
                return sub;
            }
        }
        return null;
    }
}
