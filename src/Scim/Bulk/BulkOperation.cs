using System.Text.Json.Nodes;

namespace RfpioGateway.Scim.Bulk;

/// <summary>One operation of a <c>BulkRequest</c> (RFC 7644 §3.7), as sent: references to other operations unresolved.</summary>
/// <param name="Index">Its position in the request, from 0.</param>
/// <param name="Method">POST, PUT, PATCH or DELETE, upper-cased.</param>
/// <param name="Path">The resource path relative to the base URL (<c>/Users</c>, <c>/Groups/{id}</c>), possibly naming a <c>bulkId:</c>.</param>
/// <param name="Version">The ETag the operation is conditional on (sent as <c>If-Match</c>).</param>
public sealed record BulkOperation(int Index, string Method, string Path, string? BulkId, string? Version, JsonObject? Data);
