namespace RfpioGateway.Scim.Filtering;

/// <summary><c>left and right</c> / <c>left or right</c>.</summary>
/// <remarks>
/// Prints with only the parentheses the grammar needs (the parser folds a chain left to right, <c>and</c> binding
/// tighter than <c>or</c>), so the text nests no deeper than the filter it came from and parses back within the
/// same limits: one parenthesis per term would put a long <c>and</c> chain past the depth limit.
/// </remarks>
public sealed record LogicalFilter(LogicalOperator Operator, FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString()
    {
        var left = Left is LogicalFilter { Operator: LogicalOperator.Or } && Operator == LogicalOperator.And ? $"({Left})" : Left.ToString();
        var right = Right is LogicalFilter inner && (inner.Operator == Operator || inner.Operator == LogicalOperator.Or) ? $"({Right})" : Right.ToString();
        return $"{left} {(Operator == LogicalOperator.And ? "and" : "or")} {right}";
    }
}
