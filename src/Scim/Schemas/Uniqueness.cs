namespace RfpioGateway.Scim.Schemas;

/// <summary>RFC 7643 §7 <c>uniqueness</c>.</summary>
public enum Uniqueness
{
    None,
    Server,
    Global,
}
