namespace RfpioGateway.Scim.Resources;

/// <summary>Why a document is being validated: the rules for immutable attributes depend on it.</summary>
public enum ValidationContext
{
    /// <summary>POST: immutable attributes may be set.</summary>
    Create,

    /// <summary>PUT: the body replaces every writable attribute; immutable ones must not change.</summary>
    Replace,

    /// <summary>The result of applying a PATCH: immutable attributes must not change.</summary>
    Patch,
}
