namespace RfpioGateway.Scim.Filtering;

public enum LogicalOperator
{
    And,
    Or,
}
