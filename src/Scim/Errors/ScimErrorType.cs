namespace RfpioGateway.Scim.Errors;

/// <summary>The <c>scimType</c> values of RFC 7644 §3.12, plus <see cref="None"/> for errors that carry none.</summary>
public enum ScimErrorType
{
    None,
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVers,
    Sensitive,
}
