using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Scim.Patch;

/// <summary>
/// A parsed PatchOp message (RFC 7644 §3.5.2). <c>op</c> values and member names are case-insensitive, because
/// Entra ID sends <c>"Add"</c>/<c>"Replace"</c>/<c>"Remove"</c> and OneLogin and Okta send lower case.
/// </summary>
public sealed record PatchRequest(IReadOnlyList<PatchOperation> Operations)
{
    public static ScimResult<PatchRequest> Parse(ReadOnlyMemory<byte> utf8Body, ResourceLimits? limits = null)
    {
        limits ??= ResourceLimits.Default;
        var parsed = ScimJson.Parse(utf8Body, limits.MaxJsonDepth);
        if (!parsed.TryGetValue(out var document, out var error))
        {
            return error;
        }
        using (document)
        {
            return Parse(document.RootElement, limits);
        }
    }

    public static ScimResult<PatchRequest> Parse(JsonElement body, ResourceLimits? limits = null)
    {
        limits ??= ResourceLimits.Default;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ScimError.InvalidSyntax("A PATCH body must be a JSON object with 'schemas' and 'Operations'.");
        }
        if (JsonLookup.TryGetProperty(body, "schemas", out var schemas) && !ListsPatchOp(schemas))
        {
            return ScimError.InvalidSyntax($"A PATCH body's 'schemas' must contain \"{ScimMessages.PatchOp}\".");
        }
        if (!JsonLookup.TryGetProperty(body, "Operations", out var operations) || operations.ValueKind != JsonValueKind.Array)
        {
            return ScimError.InvalidSyntax("A PATCH body must have an 'Operations' array.");
        }
        var count = operations.GetArrayLength();
        if (count == 0)
        {
            return ScimError.InvalidSyntax("A PATCH body's 'Operations' array is empty.");
        }
        if (count > limits.MaxPatchOperations)
        {
            return ScimError.InvalidValue($"A PATCH body has {count} operations; the limit is {limits.MaxPatchOperations}.");
        }

        var list = new List<PatchOperation>(count);
        var index = 0;
        foreach (var operation in operations.EnumerateArray())
        {
            index++;
            if (operation.ValueKind != JsonValueKind.Object)
            {
                return ScimError.InvalidSyntax($"Operation {index} is not a JSON object.");
            }
            if (!JsonLookup.TryGetProperty(operation, "op", out var op) || op.ValueKind != JsonValueKind.String)
            {
                return ScimError.InvalidSyntax($"Operation {index} has no 'op' (add, replace or remove).");
            }
            PatchOperationType? type = op.GetString()!.ToUpperInvariant() switch
            {
                "ADD" => PatchOperationType.Add,
                "REPLACE" => PatchOperationType.Replace,
                "REMOVE" => PatchOperationType.Remove,
                _ => null,
            };
            if (type is null)
            {
                return ScimError.InvalidSyntax($"Operation {index} has op '{op.GetString()}'; expected add, replace or remove.");
            }

            string? path = null;
            if (JsonLookup.TryGetProperty(operation, "path", out var pathElement) && pathElement.ValueKind != JsonValueKind.Null)
            {
                if (pathElement.ValueKind != JsonValueKind.String)
                {
                    return ScimError.InvalidPath($"Operation {index} has a 'path' that is not a string.");
                }
                path = pathElement.GetString();
                if (string.IsNullOrWhiteSpace(path))
                {
                    path = null;
                }
            }
            var hasValue = JsonLookup.TryGetProperty(operation, "value", out var value);
            if (type == PatchOperationType.Remove && path is null)
            {
                return ScimError.NoTarget($"Operation {index} is a remove without a 'path'.");
            }
            if (type != PatchOperationType.Remove && !hasValue)
            {
                return ScimError.InvalidSyntax($"Operation {index} ({type.Value.ToString().ToLowerInvariant()}) has no 'value'.");
            }
            if (type != PatchOperationType.Remove && path is null && value.ValueKind != JsonValueKind.Object)
            {
                return ScimError.InvalidSyntax($"Operation {index} has no 'path', so its 'value' must be a JSON object of attributes.");
            }
            list.Add(new PatchOperation(type.Value, path, hasValue ? JsonNode.Parse(JsonMarshal.GetRawUtf8Value(value)) : null));
        }
        return ScimResult<PatchRequest>.Success(new PatchRequest(list));
    }

    private static bool ListsPatchOp(JsonElement schemas)
    {
        if (schemas.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var schema in schemas.EnumerateArray())
        {
            if (schema.ValueKind == JsonValueKind.String && string.Equals(schema.GetString(), ScimMessages.PatchOp, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
