using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Robustness;

public sealed class PropertyTests
{
    private static readonly ScimDocument Base = User("""
        {"userName":"bjensen","active":true,"title":"Guide","name":{"givenName":"Barbara"},
         "emails":[{"value":"b@x.com","type":"work","primary":true}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tours"}}
        """);

    [Fact]
    public void Filter_RandomAst_PrintsAndReparsesToSameAst()
    {
        Generators.Filter(depth: 4).Sample(node =>
        {
            var printed = node.ToString()!;
            var reparsed = FilterParser.Parse(printed, new FilterLimits { MaxLength = 100_000, MaxTerms = 10_000 });
            Assert.True(reparsed.IsSuccess, $"{printed}: {reparsed.Error?.Detail}");
            Assert.Equal(node, reparsed.Value);
        }, iter: 2000);
    }

    [Fact]
    public void Filter_AnyAcceptedFilter_PrintedFormReparsesWithinTheSameDepthAndTerms()
    {
        // What a shard receives: the printed form of a filter the parser accepted under the default limits.
        Generators.Filter(depth: 6).Sample(node =>
        {
            var accepted = FilterParser.Parse(node.ToString()!, FilterLimits.Default);
            if (!accepted.IsSuccess)
            {
                return;
            }
            var reparsed = FilterParser.Parse(accepted.Value.ToString(), FilterLimits.Reparse);
            Assert.True(reparsed.IsSuccess, $"{accepted.Value}: {reparsed.Error?.Detail}");
            Assert.Equal(accepted.Value, reparsed.Value);
        }, iter: 2000);
    }

    [Fact]
    public void CaseFolding_AgreesWithOrdinalIgnoreCase()
    {
        Gen.Select(Gen.String, Gen.String).Sample((a, b) =>
        {
            var upperB = b.Length > 0 && a.Length > 0 ? a.ToLowerInvariant() : b;
            foreach (var other in new[] { b, upperB, a.ToUpperInvariant() })
            {
                Assert.Equal(string.Equals(a, other, StringComparison.OrdinalIgnoreCase), CaseFolding.Fold(a) == CaseFolding.Fold(other));
            }
        }, iter: 5000);
    }

    [Fact]
    public void AnyBytes_OnlyScimErrorsComeOut()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            AssertScim(ResourceValidator.Validate(bytes, ScimSchemas.UserResourceType, ValidationContext.Create));
            AssertScim(PatchRequest.Parse(bytes));
            AssertScim(SearchRequest.FromBody(bytes, ScimSchemas.UserResourceType, ServiceProviderConfigOptions.Default));
            var text = Encoding.UTF8.GetString(bytes);
            AssertScim(FilterParser.Parse(text));
            AssertScim(FilterParser.ParsePatchPath(text));
        }, iter: 3000);
    }

    [Fact]
    public void AnyText_FilterAndPath_OnlyScimErrorsComeOut()
    {
        Generators.Text.Array[1, 6].Select(parts => string.Join(' ', parts)).Sample(text =>
        {
            AssertScim(FilterParser.Parse(text));
            AssertScim(FilterParser.ParsePatchPath(text));
            var parsed = FilterParser.Parse(text);
            if (parsed.IsSuccess)
            {
                AssertScim(FilterEvaluator.Matches(parsed.Value, Render(Base), ScimSchemas.UserResourceType));
            }
        }, iter: 3000);
    }

    [Fact]
    public void AnyJson_ValidateAndPatch_OnlyScimErrorsAndStableResults()
    {
        Generators.Json(depth: 3).Sample(node =>
        {
            var bytes = Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null");
            var validated = ResourceValidator.Validate(bytes, ScimSchemas.UserResourceType, ValidationContext.Create);
            AssertScim(validated);
            if (validated.IsSuccess)
            {
                // Canonical output validates to itself.
                var again = ResourceValidator.Validate(validated.Value.Utf8Json, ScimSchemas.UserResourceType, ValidationContext.Replace, validated.Value);
                Assert.True(again.IsSuccess, again.Error?.Detail);
                Assert.Equal(validated.Value.ToJson(), again.Value.ToJson());
            }
        }, iter: 3000);
    }

    [Fact]
    public void AnyPatchOperation_OnlyScimErrorsComeOut()
    {
        Gen.Select(Generators.Op, Generators.PatchPath, Generators.Json(depth: 2)).Sample((op, path, value) =>
        {
            var operation = new JsonObject { ["op"] = op, ["path"] = path, ["value"] = value?.DeepClone() };
            var body = new JsonObject { ["Operations"] = new JsonArray(operation) };
            AssertScim(ApplyPatch(Base, body.ToJsonString()));
            var pathless = new JsonObject { ["op"] = op, ["value"] = new JsonObject { [path] = value?.DeepClone() } };
            AssertScim(ApplyPatch(Base, new JsonObject { ["Operations"] = new JsonArray(pathless) }.ToJsonString()));
        }, iter: 3000);
    }

    [Fact]
    public void ReplacePatch_AppliedTwice_EqualsAppliedOnce()
    {
        var stringPaths = Gen.OneOf(
            "title", "nickName", "displayName", "name.givenName", "name.familyName", "emails[type eq \"work\"].value",
            "emails[type eq \"home\"].value", "phoneNumbers[type eq \"mobile\"].value", "addresses[type eq \"work\"].locality",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "roles[primary eq \"True\"].value");
        var operation = Gen.OneOf(
            Gen.Select(stringPaths, Generators.Text, (path, text) => new JsonObject { ["op"] = "replace", ["path"] = path, ["value"] = text }),
            Gen.Bool.Select(b => new JsonObject { ["op"] = "Replace", ["path"] = "active", ["value"] = b ? "True" : "False" }),
            Gen.Select(stringPaths, Generators.Text, (path, text) => new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { [path] = text } }));
        operation.Array[1, 4].Sample(operations =>
        {
            var body = Ops([.. operations.Select(o => o.ToJsonString())]);
            var once = ApplyPatch(Base, body);
            Assert.True(once.IsSuccess, once.Error?.Detail);
            var twice = ApplyPatch(once.Value.Document, body);
            Assert.True(twice.IsSuccess, twice.Error?.Detail);
            Assert.False(twice.Value.Changed, $"{body} changed the document again");
            Assert.Equal(once.Value.Document.ToJson(), twice.Value.Document.ToJson());
        }, iter: 2000);
    }

    private static void AssertScim<T>(RfpioGateway.Scim.Errors.ScimResult<T> result)
    {
        if (!result.IsSuccess)
        {
            Assert.InRange(result.Error.Status, 400, 499);
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
        }
        if (result.IsSuccess && result.Value is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
