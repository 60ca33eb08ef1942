namespace RfpioGateway.Scim.Filtering;

/// <summary><c>attrPath "[" valFilter "]"</c>: true when some value of the complex attribute matches the inner filter.</summary>
public sealed record ValuePathFilter(AttributePath Path, FilterNode Filter) : FilterNode
{
    public override string ToString() => $"{Path}[{Filter}]";
}
