using System.Text.Json.Nodes;
using CsCheck;
using RfpioGateway.Scim.Filtering;

namespace RfpioGateway.Scim.Tests.Robustness;

/// <summary>Generators for filters, JSON documents and PATCH operations.</summary>
internal static class Generators
{
    private static readonly Gen<string> Atom = Gen.OneOf(
        "a", "Z", "0", " ", "\"", "\\", "]", "[", "(", ")", "é", "✓", "😀", "\n", "\t", "/", "eq", "and", "@", ".", ":", "urn");

    /// <summary>Valid UTF-16 text built from awkward pieces: quotes, brackets, escapes, astral characters.</summary>
    public static readonly Gen<string> Text = Atom.Array[0, 8].Select(parts => string.Concat(parts));

    private static readonly Gen<string> Name = Gen.OneOf("userName", "title", "emails", "displayName", "x-1", "a_b", "$ref", "Value");

    private static readonly Gen<string?> Schema = Gen.OneOf<string?>(null, null, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");

    private static readonly Gen<AttributePath> PlainPath = Name.Select(n => new AttributePath(null, n));

    private static readonly Gen<AttributePath> Path = Gen.Select(Schema, Name, Gen.OneOf(Gen.Const<string?>((string?)null), Name.Select(n => (string?)n)),
        (schema, name, sub) => new AttributePath(schema, name, sub));

    private static readonly Gen<FilterValue> Value = Gen.OneOf(
        Text.Select(FilterValue.String),
        Gen.Int.Select(i => FilterValue.Number(i)),
        Gen.Int[-1000, 1000].Select(i => FilterValue.Number(i / 100m)),
        Gen.OneOf(FilterValue.True, FilterValue.False, FilterValue.Null));

    private static readonly Gen<ComparisonOperator> Operator = Gen.Enum<ComparisonOperator>();

    public static Gen<FilterNode> Filter(int depth, bool inValuePath = false)
    {
        var path = inValuePath ? PlainPath : Path;
        var leaf = Gen.OneOf<FilterNode>(
            Gen.Select(path, Operator, Value, (p, o, v) => (FilterNode)new ComparisonFilter(p, o, v)),
            path.Select(p => (FilterNode)new PresentFilter(p)));
        if (depth == 0)
        {
            return leaf;
        }
        var child = Filter(depth - 1, inValuePath);
        var options = new List<Gen<FilterNode>>
        {
            leaf,
            Gen.Select(Gen.Bool, child, child, (and, l, r) => (FilterNode)new LogicalFilter(and ? LogicalOperator.And : LogicalOperator.Or, l, r)),
            child.Select(c => (FilterNode)new NotFilter(c)),
        };
        if (!inValuePath)
        {
            options.Add(Gen.Select(PlainPath, Filter(depth - 1, inValuePath: true), (p, f) => (FilterNode)new ValuePathFilter(p, f)));
        }
        return Gen.OneOf([.. options]);
    }

    private static readonly Gen<string> Key = Gen.OneOf(
        "userName", "USERNAME", "active", "title", "name", "givenName", "emails", "value", "type", "primary", "roles",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "department", "id", "meta", "schemas",
        "x509Certificates", "$ref", "unknown", "");

    public static Gen<JsonNode?> Json(int depth)
    {
        var scalar = Gen.OneOf<JsonNode?>(
            Text.Select(t => (JsonNode?)JsonValue.Create(t)),
            Gen.OneOf("True", "false", "", "{\"value\":\"x\"}").Select(t => (JsonNode?)JsonValue.Create(t)),
            Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : null),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Const<JsonNode?>((JsonNode?)null));
        if (depth == 0)
        {
            return scalar;
        }
        var child = Json(depth - 1);
        return Gen.OneOf(
            scalar,
            child.Array[0, 4].Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())])),
            Gen.Select(Key, child).Array[0, 6].Select(members =>
            {
                var obj = new JsonObject();
                foreach (var (key, value) in members)
                {
                    obj[key] = value?.DeepClone();
                }
                return (JsonNode?)obj;
            }));
    }

    public static readonly Gen<string> PatchPath = Gen.OneOf(
        "title", "nickName", "name.givenName", "name", "emails", "emails[type eq \"work\"].value", "emails[type eq \"work\"]",
        "roles[primary eq \"True\"].value", "active", "userName", "manager", "manager[value eq \"x\"]",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "id", "meta.created", "members", "emails[value co \"a\"].type",
        "bogus[", "emails[type eq \"work\"].nope");

    public static readonly Gen<string> Op = Gen.OneOf("add", "Replace", "remove", "ADD");
}
