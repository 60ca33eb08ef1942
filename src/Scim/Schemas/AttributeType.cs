namespace RfpioGateway.Scim.Schemas;

/// <summary>RFC 7643 §2.3 data types.</summary>
public enum AttributeType
{
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}
