namespace RfpioGateway.Scim.Filtering;

/// <summary>A token as a slice of the source: no text is copied until the parser builds the AST.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, int Start, int Length, bool HasEscapes = false);
