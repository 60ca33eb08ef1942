using System.Text.Json;
using System.Text.Json.Nodes;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains;

/// <summary>
/// Takes a group's <c>members</c> out of a request, so the document the SCIM core validates and stores never holds
/// them. Understands every dialect we have seen (docs/architecture.md, Groups): Entra's <c>Add</c>/<c>Remove</c>
/// with a value list on <c>path: "members"</c> (removing only the listed ids), <c>remove</c> with
/// <c>members[value eq "…"]</c>, <c>replace</c> of the whole list, and a pathless <c>add</c>/<c>replace</c> whose
/// value object holds <c>members</c> next to other attributes.
/// </summary>
internal static class MemberOperations
{
    private const string QualifiedMembers = ScimSchemas.GroupUrn + ":members";

    /// <summary>A POST or PUT body without <c>members</c>, and the member ids it listed (empty when absent or null).</summary>
    public static ScimResult<(byte[] Document, List<string> Members)> SplitBody(byte[] body)
    {
        var parsed = ScimJson.Parse(body);
        if (!parsed.TryGetValue(out var json, out var error))
        {
            return error;
        }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ScimError.InvalidSyntax("The body must be a JSON object.");
            }
            var root = JsonObject.Create(json.RootElement)!;
            var members = new List<string>();
            foreach (var name in root.Select(p => p.Key).Where(IsMembers).ToList())
            {
                var ids = Ids(root[name], "members");
                if (!ids.TryGetValue(out var list, out error))
                {
                    return error;
                }
                members.AddRange(list);
                root.Remove(name);
            }
            return ScimResult<(byte[], List<string>)>.Success((JsonSerializer.SerializeToUtf8Bytes(root), members));
        }
    }

    /// <summary>The request's operations on other attributes (null when there are none) and its membership edit.</summary>
    public static ScimResult<(PatchRequest? Others, MembershipEdit Edit)> SplitPatch(PatchRequest patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var rest = new List<PatchOperation>(patch.Operations.Count);
        var edit = new MembershipEdit();
        var index = 0;
        foreach (var operation in patch.Operations)
        {
            index++;
            if (operation.Path is null)
            {
                if (operation.Value is JsonObject value && value.Select(p => p.Key).Where(IsMembers).ToList() is { Count: > 0 } names)
                {
                    var others = (JsonObject)value.DeepClone();
                    foreach (var name in names)
                    {
                        var ids = Ids(value[name], $"Operation {index}'s members");
                        if (!ids.TryGetValue(out var list, out var error))
                        {
                            return error;
                        }
                        Apply(edit, operation.Type, list);
                        others.Remove(name);
                    }
                    if (others.Count > 0)
                    {
                        rest.Add(operation with { Value = others });
                    }
                    continue;
                }
                rest.Add(operation);
                continue;
            }
            var path = FilterParser.ParsePatchPath(operation.Path);
            if (!path.TryGetValue(out var parsed, out _) || !IsMembers(parsed.Attribute))
            {
                // Not about members (or not a path at all): the SCIM core answers it, errors included.
                rest.Add(operation);
                continue;
            }
            var outcome = ApplyPath(edit, operation, parsed, index);
            if (outcome is { } failure)
            {
                return failure;
            }
        }
        return ScimResult<(PatchRequest?, MembershipEdit)>.Success((rest.Count > 0 ? new PatchRequest(rest) : null, edit));
    }

    private static ScimError? ApplyPath(MembershipEdit edit, PatchOperation operation, PatchPath path, int index)
    {
        if (path.Attribute.SubAttribute is not null || path.SubAttribute is not null)
        {
            return ScimError.InvalidPath($"Operation {index}: '{operation.Path}' targets a member's sub-attribute; add or remove the member instead.");
        }
        if (path.ValueFilter is { } filter)
        {
            if (operation.Type != PatchOperationType.Remove)
            {
                return ScimError.InvalidPath($"Operation {index}: '{operation.Path}' selects members by a filter, which only remove accepts.");
            }
            var ids = new List<string>();
            if (!ValueEqualities(filter, ids))
            {
                return ScimError.InvalidFilter($"Operation {index}: members are selected by 'value eq \"<id>\"' (joined by 'or'), not by '{filter}'.");
            }
            foreach (var id in ids)
            {
                edit.Remove(id);
            }
            return null;
        }
        if (operation.Type == PatchOperationType.Remove && operation.Value is null)
        {
            // RFC 7644 §3.5.2.2: a remove of the attribute without a value filter removes every value.
            edit.RemoveAll();
            return null;
        }
        var listed = Ids(operation.Value, $"Operation {index}'s value");
        if (!listed.TryGetValue(out var list, out var error))
        {
            return error;
        }
        Apply(edit, operation.Type, list);
        return null;
    }

    private static void Apply(MembershipEdit edit, PatchOperationType type, List<string> ids)
    {
        switch (type)
        {
            case PatchOperationType.Add:
                ids.ForEach(edit.Add);
                break;
            case PatchOperationType.Replace:
                edit.ReplaceAll(ids);
                break;
            default:
                // Entra's default job: remove exactly the listed ids, never the whole list.
                ids.ForEach(edit.Remove);
                break;
        }
    }

    /// <summary>True when the filter is <c>value eq "…"</c>, or such terms joined by <c>or</c>; collects the ids.</summary>
    private static bool ValueEqualities(FilterNode filter, List<string> ids)
    {
        switch (filter)
        {
            case ComparisonFilter { Operator: ComparisonOperator.Equal, Path: { SubAttribute: null } path, Value: { Kind: FilterValueKind.String } value }
                when path.Name.Equals("value", StringComparison.OrdinalIgnoreCase):
                ids.Add(value.Text);
                return true;
            case LogicalFilter { Operator: LogicalOperator.Or } or:
                return ValueEqualities(or.Left, ids) && ValueEqualities(or.Right, ids);
            default:
                return false;
        }
    }

    /// <summary>The ids of a members value: an array of <c>{"value": id, …}</c> objects or one such object; null is none.</summary>
    private static ScimResult<List<string>> Ids(JsonNode? node, string what)
    {
        var ids = new List<string>();
        IEnumerable<JsonNode?> items = node switch
        {
            null => [],
            JsonArray array => array,
            JsonObject one => [one],
            _ => [node],
        };
        foreach (var item in items)
        {
            if (item is not JsonObject member)
            {
                return ScimError.InvalidValue($"{what} must be objects with a 'value' (the user's id).");
            }
            var value = Member(member, "value");
            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                return ScimError.InvalidValue($"{what} has a member without a string 'value' (the user's id).");
            }
            if (Member(member, "type") is JsonValue type && type.GetValueKind() == JsonValueKind.String
                && !string.Equals(type.GetValue<string>(), "User", StringComparison.OrdinalIgnoreCase))
            {
                return ScimError.InvalidValue($"Member '{text.GetValue<string>()}' has type '{type.GetValue<string>()}'; only users can be members of a group here.");
            }
            ids.Add(text.GetValue<string>());
        }
        return ScimResult<List<string>>.Success(ids);
    }

    private static JsonNode? Member(JsonObject item, string name)
    {
        foreach (var (key, value) in item)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    private static bool IsMembers(string name) =>
        name.Equals("members", StringComparison.OrdinalIgnoreCase) || name.Equals(QualifiedMembers, StringComparison.OrdinalIgnoreCase);

    private static bool IsMembers(AttributePath path) =>
        path.Name.Equals("members", StringComparison.OrdinalIgnoreCase)
        && (path.Schema is null || path.Schema.Equals(ScimSchemas.GroupUrn, StringComparison.OrdinalIgnoreCase));
}
