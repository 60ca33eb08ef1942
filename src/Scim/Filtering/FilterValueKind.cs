namespace RfpioGateway.Scim.Filtering;

public enum FilterValueKind
{
    String,
    Number,
    Boolean,
    Null,
}
