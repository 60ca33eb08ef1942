namespace RfpioGateway.Scim.Filtering;

/// <summary>A node of a parsed SCIM filter. Printing a node gives a filter that parses back to an equal node.</summary>
public abstract record FilterNode;
