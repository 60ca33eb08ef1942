namespace RfpioGateway.Scim.Filtering;

/// <summary><c>attrPath pr</c>.</summary>
public sealed record PresentFilter(AttributePath Path) : FilterNode
{
    public override string ToString() => $"{Path} pr";
}
