namespace RfpioGateway.Scim.Filtering;

/// <summary><c>attrPath compareOp compValue</c>.</summary>
public sealed record ComparisonFilter(AttributePath Path, ComparisonOperator Operator, FilterValue Value) : FilterNode
{
    public override string ToString() => $"{Path} {FilterParser.OperatorKeyword(Operator)} {Value}";
}
