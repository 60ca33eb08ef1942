using System.Text.Json.Nodes;

namespace RfpioGateway.Scim.Bulk;

/// <summary>
/// The <c>bulkId:</c> references of RFC 7644 §3.7.2: a string value (anywhere in an operation's data) or a path
/// segment that is exactly <c>bulkId:&lt;id&gt;</c> names the resource another operation of the request creates.
/// </summary>
public static class BulkReferences
{
    public const string Prefix = "bulkId:";

    /// <summary>The bulkIds an operation refers to, in its path and data.</summary>
    public static IReadOnlySet<string> Of(BulkOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in operation.Path.Split('/'))
        {
            if (Target(segment) is { } id)
            {
                found.Add(id);
            }
        }
        Collect(operation.Data, found);
        return found;
    }

    /// <summary>The bulkIds a JSON value refers to.</summary>
    public static IReadOnlySet<string> In(JsonNode? node)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        Collect(node, found);
        return found;
    }

    /// <summary>A copy of a JSON value with each reference replaced by the id it resolved to.</summary>
    public static JsonNode? Resolve(JsonNode? node, IReadOnlyDictionary<string, string> resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        return Substitute(node?.DeepClone(), resolved);
    }

    /// <summary>The bulkId a string names, or null.</summary>
    public static string? Target(string? value) =>
        value is { Length: > 7 } && value.StartsWith(Prefix, StringComparison.Ordinal) ? value[Prefix.Length..] : null;

    /// <summary>The path with each reference replaced by the id it resolved to.</summary>
    public static string ResolvePath(string path, IReadOnlyDictionary<string, string> resolved)
    {
        ArgumentNullException.ThrowIfNull(path);
        return string.Join('/', path.Split('/').Select(s => Target(s) is { } id && resolved.TryGetValue(id, out var real) ? real : s));
    }

    /// <summary>A copy of the data with each reference replaced by the id it resolved to.</summary>
    public static JsonObject? Resolve(JsonObject? data, IReadOnlyDictionary<string, string> resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        return (JsonObject?)Resolve((JsonNode?)data, resolved);
    }

    /// <summary>
    /// For a POST caught in a cycle (§3.7.1): splits its data into what can be created now and the attributes that
    /// still hold an unresolved reference. Those come back as PATCH <c>add</c> operations, to run once the other
    /// resources exist: a multi-valued attribute loses only the elements that refer, a single one the whole value.
    /// Attributes of an extension are named by their full URN path.
    /// </summary>
    public static (JsonObject Now, IReadOnlyList<(string Path, JsonNode Value)> Later) Defer(JsonObject data, Func<string, bool> unresolved)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(unresolved);
        var now = (JsonObject)data.DeepClone();
        var later = new List<(string, JsonNode)>();
        DeferIn(now, prefix: null, unresolved, later);
        return (now, later);
    }

    private static void DeferIn(JsonObject container, string? prefix, Func<string, bool> unresolved, List<(string, JsonNode)> later)
    {
        foreach (var (name, value) in container.ToList())
        {
            var path = prefix is null ? name : $"{prefix}:{name}";
            if (prefix is null && name.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) && value is JsonObject extension)
            {
                DeferIn(extension, name, unresolved, later);
                continue;
            }
            if (value is JsonArray array)
            {
                var referring = array.Where(e => Refers(e, unresolved)).ToList();
                if (referring.Count > 0)
                {
                    foreach (var element in referring)
                    {
                        array.Remove(element);
                    }
                    later.Add((path, new JsonArray([.. referring.Select(e => e?.DeepClone())])));
                }
            }
            else if (Refers(value, unresolved))
            {
                container.Remove(name);
                later.Add((path, value!.DeepClone()));
            }
        }
    }

    private static bool Refers(JsonNode? node, Func<string, bool> unresolved) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => Target(text) is { } id && unresolved(id),
        JsonObject obj => obj.Any(p => Refers(p.Value, unresolved)),
        JsonArray array => array.Any(e => Refers(e, unresolved)),
        _ => false,
    };

    private static void Collect(JsonNode? node, HashSet<string> found)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text) && Target(text) is { } id:
                found.Add(id);
                break;
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Collect(child, found);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, found);
                }
                break;
        }
    }

    private static JsonNode? Substitute(JsonNode? node, IReadOnlyDictionary<string, string> resolved)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text) && Target(text) is { } id && resolved.TryGetValue(id, out var real):
                return JsonValue.Create(real);
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    var replaced = Substitute(child, resolved);
                    if (!ReferenceEquals(replaced, child))
                    {
                        obj[name] = replaced;
                    }
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var replaced = Substitute(array[i], resolved);
                    if (!ReferenceEquals(replaced, array[i]))
                    {
                        array[i] = replaced;
                    }
                }
                return array;
            default:
                return node;
        }
    }
}
