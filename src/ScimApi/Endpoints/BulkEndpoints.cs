using System.Text.Json;
using System.Text.Json.Nodes;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Bulk;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Protocol;

namespace RfpioGateway.ScimApi.Endpoints;

/// <summary>
/// <c>POST /Bulk</c> (RFC 7644 §3.7). Each operation runs as the same request sent alone would (<see cref="SubRequests"/>),
/// in the order sent, except that one naming a <c>bulkId:</c> waits until the operation creating it has run
/// (§3.7.2). A cycle of references (§3.7.1) is broken by creating the first waiting resource without the attributes
/// that still refer, then adding them with a PATCH once the others exist. Operations are not one transaction: the
/// response lists every operation that ran, with its own status; with <c>failOnErrors</c> reached, those not listed
/// did not run.
/// </summary>
internal static class BulkEndpoints
{
    public const string BulkResponse = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    public static IEnumerable<ScimRoute> Routes()
    {
        yield return new("/Bulk", "POST", ScimOperations.Bulk,
            (HttpContext c, SubRequests s, ServiceProviderConfigOptions o) => BulkAsync(c, s, o));
    }

    private static async Task BulkAsync(HttpContext context, SubRequests subRequests, ServiceProviderConfigOptions options)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var parsed = BulkRequest.Parse(bytes, options.MaxOperations);
        if (!parsed.TryGetValue(out var request, out error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var run = new BulkRun(context, subRequests, request);
        await run.RunAsync();
        var answer = new JsonObject
        {
            ["schemas"] = new JsonArray(BulkResponse),
            ["Operations"] = new JsonArray([.. run.Results.OrderBy(r => r.Key).Select(r => (JsonNode)r.Value)]),
        };
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, answer);
    }

    /// <summary>One bulk request's state while it runs.</summary>
    private sealed class BulkRun(HttpContext context, SubRequests subRequests, BulkRequest request)
    {
        private readonly Dictionary<string, string> _created = new(StringComparer.Ordinal);
        private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
        private readonly HashSet<string> _declared = [.. request.Operations.Where(o => o.BulkId is not null).Select(o => o.BulkId!)];
        private readonly List<(BulkOperation Operation, string Id, IReadOnlyList<(string Path, JsonNode Value)> Later)> _deferred = [];
        private int _errors;

        public SortedDictionary<int, JsonObject> Results { get; } = [];

        private bool Stopped => request.FailOnErrors is { } limit && _errors >= limit;

        public async Task RunAsync()
        {
            var waiting = request.Operations.ToList();
            // Read once: a request of references chained backwards takes one pass per operation, and each pass
            // must then cost a few set lookups per operation, not a walk of its JSON.
            var referencesOf = request.Operations.ToDictionary(o => o.Index, BulkReferences.Of);
            while (waiting.Count > 0 && !Stopped)
            {
                var progressed = false;
                foreach (var operation in waiting.ToList())
                {
                    var references = referencesOf[operation.Index];
                    if (references.FirstOrDefault(r => !_declared.Contains(r) || _failed.Contains(r)) is { } broken)
                    {
                        Fail(operation, ScimError.Conflict(_declared.Contains(broken)
                            ? $"bulkId:{broken} names a resource whose operation failed, so this operation was not run."
                            : $"bulkId:{broken} is not the bulkId of any POST in this request."));
                    }
                    else if (references.All(_created.ContainsKey))
                    {
                        await RunAsync(operation, operation.Data);
                    }
                    else
                    {
                        continue;
                    }
                    waiting.Remove(operation);
                    progressed = true;
                    if (Stopped)
                    {
                        return;
                    }
                }
                if (!progressed)
                {
                    // Every waiting operation waits on another: a cycle. Create the first waiting resource without
                    // what refers onwards; a POST is always among them, since only POSTs declare bulkIds.
                    var first = waiting.First(o => o.Method == "POST" && o.BulkId is { } id && !_created.ContainsKey(id));
                    var (now, later) = BulkReferences.Defer(BulkReferences.Resolve(first.Data, _created)!, id => !_created.ContainsKey(id));
                    var createdId = await RunAsync(first, now);
                    if (createdId is not null && later.Count > 0)
                    {
                        _deferred.Add((first, createdId, later));
                    }
                    waiting.Remove(first);
                }
            }
            foreach (var (operation, id, later) in _deferred)
            {
                if (Stopped)
                {
                    return;
                }
                await CompleteAsync(operation, id, later);
            }
        }

        /// <summary>Runs one operation; the id it created, for a POST that succeeded.</summary>
        private async Task<string?> RunAsync(BulkOperation operation, JsonObject? data)
        {
            var path = BulkReferences.ResolvePath(operation.Path, _created);
            if (Target(operation.Method, path) is not { } target)
            {
                Fail(operation, ScimError.InvalidPath(operation.Method == "POST"
                    ? $"'{operation.Path}' is not a resource endpoint; a POST names one, such as \"/Users\" or \"/Groups\"."
                    : $"'{operation.Path}' is not a resource; a {operation.Method} names one, such as \"/Users/{{id}}\"."));
                return null;
            }
            var body = data is null ? null : JsonSerializer.SerializeToUtf8Bytes(BulkReferences.Resolve(data, _created));
            var answer = await subRequests.RunAsync(context, operation.Method, target.Type, target.Id, path, body, operation.Version);
            var result = Entry(operation, answer, path);
            Results[operation.Index] = result;
            if (answer.Status >= 400)
            {
                _errors++;
                RememberFailure(operation);
                return null;
            }
            if (operation.Method == "POST" && answer.Location is { } location)
            {
                var id = location[(location.LastIndexOf('/') + 1)..];
                _created[operation.BulkId!] = id;
                return id;
            }
            return null;
        }

        /// <summary>Adds back what a cycle held out of a created resource, now that what it refers to exists.</summary>
        private async Task CompleteAsync(BulkOperation operation, string id, IReadOnlyList<(string Path, JsonNode Value)> later)
        {
            var type = Target("POST", operation.Path)!.Value.Type;
            var operations = new JsonArray();
            foreach (var (path, value) in later)
            {
                if (BulkReferences.In(value).FirstOrDefault(_failed.Contains) is { } failed)
                {
                    Amend(operation, ScimError.Conflict($"Created, but '{path}' was left out: it names bulkId:{failed}, whose operation failed."));
                    return;
                }
                operations.Add(new JsonObject { ["op"] = "add", ["path"] = path, ["value"] = BulkReferences.Resolve(value, _created) });
            }
            var patch = new JsonObject { ["schemas"] = new JsonArray(ScimMessages.PatchOp), ["Operations"] = operations };
            var answer = await subRequests.RunAsync(context, "PATCH", type, id, $"/{type.Plural}/{id}", JsonSerializer.SerializeToUtf8Bytes(patch), null);
            if (answer.Status >= 400)
            {
                Amend(operation, null, answer);
                return;
            }
            if (answer.ETag is { } etag)
            {
                Results[operation.Index]["version"] = etag;
            }
        }

        private static (ResourceType Type, string? Id)? Target(string method, string path)
        {
            var segments = path.Split('/');
            if (segments.Length is < 2 or > 3 || segments[0].Length != 0 || path.Contains('?', StringComparison.Ordinal)
                || ResourceTypes.All.FirstOrDefault(t => t.Plural.Equals(segments[1], StringComparison.OrdinalIgnoreCase)) is not { } type)
            {
                return null;
            }
            var id = segments.Length == 3 ? segments[2] : null;
            return (method == "POST") == (id is null) && id is not { Length: 0 } ? (type, id) : null;
        }

        private JsonObject Entry(BulkOperation operation, SubResponse answer, string path)
        {
            var entry = new JsonObject { ["method"] = operation.Method };
            if (operation.BulkId is { } bulkId)
            {
                entry["bulkId"] = bulkId;
            }
            if (answer.ETag is { } etag)
            {
                entry["version"] = etag;
            }
            if (answer.Status < 400)
            {
                entry["location"] = answer.Location ?? ScimHttp.BaseUrl(context) + path;
            }
            entry["status"] = answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (answer.Status >= 400 && answer.Body.Length > 0)
            {
                entry["response"] = JsonNode.Parse(answer.Body);
            }
            return entry;
        }

        private void Fail(BulkOperation operation, ScimError error)
        {
            Results[operation.Index] = Entry(operation, new SubResponse(error.Status, null, null, error.ToUtf8Json()), operation.Path);
            _errors++;
            RememberFailure(operation);
        }

        /// <summary>Turns a created resource's entry into the error that left it incomplete; its location stays.</summary>
        private void Amend(BulkOperation operation, ScimError? error, SubResponse? answer = null)
        {
            var entry = Results[operation.Index];
            var status = error?.Status ?? answer!.Status;
            entry["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            entry["response"] = JsonNode.Parse(error?.ToUtf8Json() ?? answer!.Body);
            _errors++;
        }

        /// <summary>A failed POST's bulkId: operations naming it fail instead of waiting for it.</summary>
        private void RememberFailure(BulkOperation operation)
        {
            if (operation.BulkId is { } bulkId && operation.Method == "POST")
            {
                _failed.Add(bulkId);
            }
        }
    }
}
