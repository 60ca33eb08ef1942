namespace RfpioGateway.Scim.Filtering;

/// <summary><c>not (filter)</c>.</summary>
public sealed record NotFilter(FilterNode Inner) : FilterNode
{
    public override string ToString() => $"not ({Inner})";
}
