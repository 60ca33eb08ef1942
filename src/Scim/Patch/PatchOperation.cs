using System.Text.Json.Nodes;

namespace RfpioGateway.Scim.Patch;

/// <summary>One PATCH operation. <see cref="Value"/> is null both when absent and when JSON null (both clear).</summary>
public sealed record PatchOperation(PatchOperationType Type, string? Path, JsonNode? Value);
