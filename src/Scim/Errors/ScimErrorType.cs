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

    /// <summary>RFC 9865 §2.3: a cursor this service did not issue for this query.</summary>
    InvalidCursor,

    /// <summary>RFC 9865 §2.3: a cursor older than <c>cursorTimeout</c>.</summary>
    ExpiredCursor,

    /// <summary>RFC 9865 §2.3: a <c>count</c> a cursor walk cannot use.</summary>
    InvalidCount,
}
