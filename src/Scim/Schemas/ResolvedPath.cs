namespace RfpioGateway.Scim.Schemas;

/// <summary>
/// The result of resolving an attribute path: the extension it lives in (null for core and common attributes),
/// the attribute (null when the path names a whole extension) and the sub-attribute, if any.
/// </summary>
public sealed record ResolvedPath(SchemaDefinition? Extension, AttributeDefinition? Attribute, AttributeDefinition? SubAttribute)
{
    /// <summary>The attribute the path's value lives in: the sub-attribute when there is one.</summary>
    public AttributeDefinition? Target => SubAttribute ?? Attribute;
}
