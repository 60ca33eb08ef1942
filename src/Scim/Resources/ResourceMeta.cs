namespace RfpioGateway.Scim.Resources;

/// <summary>What the service owns about a resource: its id and <c>meta</c> (RFC 7643 §3.1).</summary>
/// <param name="Location">The resource's URI, or null when the caller cannot know it.</param>
public sealed record ResourceMeta(string Id, DateTimeOffset Created, DateTimeOffset LastModified, long Version, string? Location);
