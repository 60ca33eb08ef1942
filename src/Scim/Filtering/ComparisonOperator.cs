namespace RfpioGateway.Scim.Filtering;

/// <summary>RFC 7644 §3.4.2.2 comparison operators (<c>pr</c> is <see cref="PresentFilter"/>).</summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Contains,
    StartsWith,
    EndsWith,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}
