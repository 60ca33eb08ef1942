namespace RfpioGateway.Scim.Schemas;

/// <summary>A schema extension of a resource type (RFC 7643 §6 <c>schemaExtensions</c>).</summary>
public sealed record SchemaExtension(SchemaDefinition Schema, bool Required);
