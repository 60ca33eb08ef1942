namespace RfpioGateway.Scim.Filtering;

/// <summary>A parsed PATCH <c>path</c> (RFC 7644 §3.5.2): an attribute, an optional value filter, an optional sub-attribute after it.</summary>
public sealed record PatchPath(AttributePath Attribute, FilterNode? ValueFilter, string? SubAttribute)
{
    public override string ToString() =>
        ValueFilter is null ? Attribute.ToString()
        : SubAttribute is null ? $"{Attribute}[{ValueFilter}]"
        : $"{Attribute}[{ValueFilter}].{SubAttribute}";
}
