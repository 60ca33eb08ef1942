namespace RfpioGateway.Scim.Filtering;

/// <summary><c>left and right</c> / <c>left or right</c>.</summary>
public sealed record LogicalFilter(LogicalOperator Operator, FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString() => $"({Left} {(Operator == LogicalOperator.And ? "and" : "or")} {Right})";
}
