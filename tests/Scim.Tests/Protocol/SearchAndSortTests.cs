using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Schemas;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Protocol;

public sealed class SearchAndSortTests
{
    private static ScimResult<SearchRequest> Query(params (string Key, string Value)[] parameters)
    {
        var map = parameters.ToDictionary(p => p.Key, p => p.Value);
        return SearchRequest.FromQuery(k => map.GetValueOrDefault(k), ScimSchemas.UserResourceType, new ServiceProviderConfigOptions { MaxResults = 100 });
    }

    [Fact]
    public void FromQuery_Defaults_StartAtOneWithMaxResults()
    {
        var request = Query().Value;
        Assert.Null(request.Filter);
        Assert.Equal(1, request.StartIndex);
        Assert.Equal(100, request.Count);
    }

    [Theory]
    [InlineData("0", "-5", 1, 0)]
    [InlineData("7", "1000", 7, 100)]
    [InlineData("3", "10", 3, 10)]
    public void FromQuery_Paging_NormalisedPerRfc(string startIndex, string count, int expectedStart, int expectedCount)
    {
        var request = Query(("startIndex", startIndex), ("count", count)).Value;
        Assert.Equal(expectedStart, request.StartIndex);
        Assert.Equal(expectedCount, request.Count);
    }

    [Fact]
    public void FromQuery_NonIntegerCount_InvalidValue()
    {
        Assert.Equal(ScimErrorType.InvalidValue, Error(Query(("count", "ten"))).Type);
    }

    [Fact]
    public void FromQuery_BadFilter_InvalidFilter()
    {
        Assert.Equal(ScimErrorType.InvalidFilter, Error(Query(("filter", "shoeSize eq 42"))).Type);
    }

    [Fact]
    public void FromBody_SearchRequest_ReadsEveryMember()
    {
        var body = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["displayName","userName"],"filter":"displayName sw \"smith\"","startIndex":1,"count":10}"""u8.ToArray();
        var request = SearchRequest.FromBody(body, ScimSchemas.UserResourceType, ServiceProviderConfigOptions.Default);
        Assert.True(request.IsSuccess, request.Error?.Detail);
        Assert.Equal(10, request.Value.Count);
        Assert.True(request.Value.Selection.HasInclusions);
        Assert.NotNull(request.Value.Filter);
    }

    [Fact]
    public void FromBody_NotJson_InvalidSyntax()
    {
        Assert.Equal(ScimErrorType.InvalidSyntax, Error(SearchRequest.FromBody("{"u8.ToArray(), ScimSchemas.UserResourceType, ServiceProviderConfigOptions.Default)).Type);
    }

    private static List<string?> Sorted(string sortBy, string? order, params string[] users)
    {
        var spec = SortSpec.Parse(sortBy, order, ScimSchemas.UserResourceType).Value!;
        return users.Select(u => Render(User(u))).Order(spec).Select(u => Str(u, "userName")).ToList();
    }

    [Fact]
    public void Sort_StringCaseInsensitive_MissingLast()
    {
        var result = Sorted("displayName", null,
            """{"userName":"c","displayName":"bob"}""", """{"userName":"a"}""", """{"userName":"b","displayName":"Alice"}""");
        Assert.Equal(["b", "c", "a"], result);
    }

    [Fact]
    public void Sort_Descending_IsExactReverse()
    {
        var result = Sorted("displayName", "descending",
            """{"userName":"c","displayName":"bob"}""", """{"userName":"a"}""", """{"userName":"b","displayName":"Alice"}""");
        Assert.Equal(["a", "c", "b"], result);
    }

    [Fact]
    public void Sort_MultiValued_UsesPrimaryValue()
    {
        var result = Sorted("emails", null,
            """{"userName":"x","emails":[{"value":"z@x"},{"value":"a@x","primary":true}]}""",
            """{"userName":"y","emails":[{"value":"m@x"}]}""");
        Assert.Equal(["x", "y"], result);
    }

    [Fact]
    public void Sort_BooleanAndExtension_Work()
    {
        Assert.Equal(["f", "t"], Sorted("active", null, """{"userName":"t","active":true}""", """{"userName":"f","active":false}"""));
        Assert.Equal(["a", "b"], Sorted("department", null,
            """{"userName":"b","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Z"}}""", """{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"A"}}"""));
    }

    [Theory]
    [InlineData("name", null)]
    [InlineData("shoeSize", null)]
    [InlineData("userName", "sideways")]
    public void Sort_Invalid_InvalidValue(string sortBy, string? order)
    {
        Assert.Equal(ScimErrorType.InvalidValue, Error(SortSpec.Parse(sortBy, order, ScimSchemas.UserResourceType)).Type);
    }

    [Theory]
    [InlineData("W/\"3\"", 3, true)]
    [InlineData("\"3\"", 3, true)]
    [InlineData("W/\"2\", W/\"3\"", 3, true)]
    [InlineData("*", 9, true)]
    [InlineData("W/\"4\"", 3, false)]
    [InlineData("garbage", 3, false)]
    public void ETag_Matches_WeakComparison(string header, long version, bool expected)
    {
        Assert.Equal(expected, ETag.Matches(header, version));
        Assert.Equal("W/\"12\"", ETag.Format(12));
    }

    [Fact]
    public void ScimError_EveryType_SerialisesToRfcBody()
    {
        foreach (var type in Enum.GetValues<ScimErrorType>())
        {
            var body = JsonSerializer.Deserialize<JsonElement>(new ScimError(400, type, "d").ToUtf8Json());
            Assert.Equal("400", body.GetProperty("status").GetString());
            Assert.Equal(type == ScimErrorType.None, !body.TryGetProperty("scimType", out _));
        }
    }
}
