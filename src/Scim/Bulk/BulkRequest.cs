using System.Text.Json;
using System.Text.Json.Nodes;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Protocol;

namespace RfpioGateway.Scim.Bulk;

/// <summary>
/// A parsed <c>BulkRequest</c> (RFC 7644 §3.7). What makes the whole request unusable is refused here, before any
/// operation runs: not JSON, no <c>Operations</c>, more than <c>maxOperations</c> (413, §3.7.4), a method outside
/// POST/PUT/PATCH/DELETE, a missing path, a POST without <c>bulkId</c>, or a <c>bulkId</c> used twice (§3.7.2: it
/// must be unique within the request). Everything an operation alone gets wrong is that operation's error.
/// </summary>
/// <param name="FailOnErrors">Stop after this many failed operations; null runs them all.</param>
public sealed record BulkRequest(int? FailOnErrors, IReadOnlyList<BulkOperation> Operations)
{
    private static readonly string[] Methods = ["POST", "PUT", "PATCH", "DELETE"];

    public static ScimResult<BulkRequest> Parse(ReadOnlyMemory<byte> utf8Body, int maxOperations)
    {
        var parsed = ScimJson.Parse(utf8Body);
        if (!parsed.TryGetValue(out var document, out var error))
        {
            return error;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ScimError.InvalidSyntax("A BulkRequest must be a JSON object.");
            }
            if (JsonLookup.TryGetProperty(root, "schemas", out var schemas) && schemas.ValueKind == JsonValueKind.Array
                && !schemas.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.String && s.GetString() == ScimMessages.BulkRequest))
            {
                return ScimError.InvalidSyntax($"'schemas' must contain \"{ScimMessages.BulkRequest}\".");
            }
            int? failOnErrors = null;
            if (JsonLookup.TryGetProperty(root, "failOnErrors", out var limit) && limit.ValueKind != JsonValueKind.Null)
            {
                if (limit.ValueKind != JsonValueKind.Number || !limit.TryGetInt32(out var value) || value < 1)
                {
                    return ScimError.InvalidValue($"failOnErrors must be a positive integer, not {limit.GetRawText()}.");
                }
                failOnErrors = value;
            }
            if (!JsonLookup.TryGetProperty(root, "Operations", out var operations) || operations.ValueKind != JsonValueKind.Array)
            {
                return ScimError.InvalidSyntax("A BulkRequest needs an 'Operations' array.");
            }
            var count = operations.GetArrayLength();
            if (count > maxOperations)
            {
                return ScimError.PayloadTooLarge(
                    $"The request has {count} operations; the limit is {maxOperations} (bulk.maxOperations in /ServiceProviderConfig).");
            }
            var list = new List<BulkOperation>(count);
            var bulkIds = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in operations.EnumerateArray())
            {
                var operation = ParseOperation(element, index++);
                if (!operation.TryGetValue(out var op, out error))
                {
                    return error;
                }
                if (op.BulkId is { } bulkId && !bulkIds.Add(bulkId))
                {
                    return ScimError.InvalidValue($"Operation {op.Index}: bulkId '{bulkId}' is used by an earlier operation; each must be unique within the request.");
                }
                list.Add(op);
            }
            return ScimResult<BulkRequest>.Success(new BulkRequest(failOnErrors, list));
        }
    }

    private static ScimResult<BulkOperation> ParseOperation(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return ScimError.InvalidSyntax($"Operation {index} must be a JSON object.");
        }
        var method = String(element, "method")?.ToUpperInvariant();
        if (method is null || !Methods.Contains(method))
        {
            return ScimError.InvalidValue($"Operation {index}: method must be one of {string.Join(", ", Methods)}.");
        }
        if (String(element, "path") is not { Length: > 0 } path)
        {
            return ScimError.InvalidPath($"Operation {index}: a path such as \"/Users\" or \"/Users/{{id}}\" is required.");
        }
        var bulkId = String(element, "bulkId");
        if (method == "POST" && string.IsNullOrEmpty(bulkId))
        {
            return ScimError.InvalidValue($"Operation {index}: a POST needs a bulkId (RFC 7644 §3.7).");
        }
        JsonObject? data = null;
        if (JsonLookup.TryGetProperty(element, "data", out var body) && body.ValueKind != JsonValueKind.Null)
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                return ScimError.InvalidSyntax($"Operation {index}: data must be a JSON object.");
            }
            data = JsonNode.Parse(body.GetRawText())!.AsObject();
        }
        if (data is null && method != "DELETE")
        {
            return ScimError.InvalidSyntax($"Operation {index}: a {method} needs data.");
        }
        return ScimResult<BulkOperation>.Success(new BulkOperation(index, method, path, string.IsNullOrEmpty(bulkId) ? null : bulkId, String(element, "version"), data));
    }

    private static string? String(JsonElement element, string name) =>
        JsonLookup.TryGetProperty(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
