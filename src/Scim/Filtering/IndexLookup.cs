namespace RfpioGateway.Scim.Filtering;

/// <summary>An equality on an indexed attribute that narrows a query to at most a few resources.</summary>
/// <param name="Attribute">The attribute's schema name (<c>id</c>, <c>userName</c>, <c>externalId</c>, …).</param>
/// <param name="Value">The value exactly as the client wrote it; the index decides how to fold it.</param>
public sealed record IndexLookup(string Attribute, string Value);
