using System.Text;
using System.Text.Json;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Rfc;

/// <summary>The examples of RFC 7643 §8 and RFC 7644 §3.4.2.2 and §3.5.2, as fixtures, with the RFC's outcome.</summary>
public sealed class RfcExampleTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "rfc", name));

    private static readonly string[] ServiceOwned = ["id", "meta", "groups", "password", "schemas"];

    [Theory]
    [InlineData("rfc7643-8.1-minimal-user.json")]
    [InlineData("rfc7643-8.2-full-user.json")]
    [InlineData("rfc7643-8.3-enterprise-user.json")]
    public void Validate_RfcUser_RoundTripsEveryClientAttribute(string fixture)
    {
        var input = ParseJson(Fixture(fixture));
        var rendered = Render(User(Fixture(fixture)), id: input.GetProperty("id").GetString()!);

        foreach (var property in input.EnumerateObject().Where(p => !ServiceOwned.Contains(p.Name)))
        {
            var expected = property.Value;
            if (property.Name == Enterprise)
            {
                // manager.displayName is readOnly (RFC 7643 §4.3): the service does not take it from clients.
                var node = System.Text.Json.Nodes.JsonNode.Parse(expected.GetRawText())!;
                node["manager"]!.AsObject().Remove("displayName");
                expected = ParseJson(node.ToJsonString());
            }
            Assert.True(JsonElement.DeepEquals(expected, rendered.GetProperty(property.Name)), $"{property.Name} changed");
        }
        Assert.Equal(input.GetProperty("id").GetString(), Str(rendered, "id"));
        Assert.False(Has(rendered, "password"));
        Assert.False(Has(rendered, "groups"));
        Assert.True(JsonElement.DeepEquals(input.GetProperty("schemas"), rendered.GetProperty("schemas")));
    }

    [Fact]
    public void Validate_RfcGroup_RoundTrips()
    {
        var input = ParseJson(Fixture("rfc7643-8.4-group.json"));
        var group = Group(Fixture("rfc7643-8.4-group.json"));
        Assert.True(JsonElement.DeepEquals(input.GetProperty("members"), group.Root.GetProperty("members")));
        Assert.Equal("Tour Guides", group.DisplayName);
    }

    public static TheoryData<string, bool> RfcFilters()
    {
        var data = new TheoryData<string, bool>();
        foreach (var item in ParseJson(Fixture("rfc7644-3.4.2.2-filters.json")).EnumerateArray())
        {
            data.Add(item.GetProperty("filter").GetString()!, item.GetProperty("matchesFullUser").GetBoolean());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RfcFilters))]
    public void Filter_RfcExample_ParsesValidatesAndEvaluates(string filter, bool matchesFullUser)
    {
        var parsed = FilterParser.Parse(filter);
        Assert.True(parsed.IsSuccess, parsed.Error?.Detail);
        var user = Render(User(Fixture("rfc7643-8.2-full-user.json")));
        var result = FilterEvaluator.Matches(parsed.Value, user, ScimSchemas.UserResourceType);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        Assert.Equal(matchesFullUser, result.Value);
    }

    [Fact]
    public void Filter_RfcSchemasExample_MatchesEnterpriseUser()
    {
        var user = Render(User(Fixture("rfc7643-8.3-enterprise-user.json")));
        var filter = FilterParser.Parse("schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"").Value;
        Assert.True(FilterEvaluator.Matches(filter, user, ScimSchemas.UserResourceType).Value);
    }

    public static TheoryData<string> RfcPatches()
    {
        var data = new TheoryData<string>();
        foreach (var item in ParseJson(Fixture("rfc7644-3.5.2-patch.json")).EnumerateArray())
        {
            data.Add(item.GetProperty("name").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RfcPatches))]
    public void Patch_RfcExample_GivesRfcResult(string name)
    {
        var item = ParseJson(Fixture("rfc7644-3.5.2-patch.json")).EnumerateArray().Single(i => i.GetProperty("name").GetString() == name);
        var resourceType = item.GetProperty("resourceType").GetString() == "Group" ? ScimSchemas.GroupResourceType : ScimSchemas.UserResourceType;
        ScimDocument Load(string property) =>
            ResourceValidator.Validate(Encoding.UTF8.GetBytes(item.GetProperty(property).GetRawText()), resourceType, ValidationContext.Create).Value;

        var request = PatchRequest.Parse(Encoding.UTF8.GetBytes(item.GetProperty("patch").GetRawText()));
        Assert.True(request.IsSuccess, request.Error?.Detail);
        var result = PatchEngine.Apply(Load("before"), request.Value);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        var expected = Load("after");
        Assert.True(expected.ContentEquals(result.Value.Document), $"expected {expected} but got {result.Value.Document}");
    }
}
