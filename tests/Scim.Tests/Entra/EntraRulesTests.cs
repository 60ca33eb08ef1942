using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Schemas;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Entra;

/// <summary>The rules of section 0 of the Entra reference that the protocol core owns, one test (or more) each.</summary>
public sealed class EntraRulesTests
{
    private static readonly RfpioGateway.Scim.Resources.ScimDocument Alice =
        User("""{"userName":"alice@contoso.com","active":true,"emails":[{"type":"work","value":"alice@contoso.com","primary":true}]}""");

    [Theory]
    [InlineData("Replace")]
    [InlineData("replace")]
    [InlineData("REPLACE")]
    public void Rule01_OpValues_MatchedCaseInsensitively(string op)
    {
        Assert.Equal("T", Str(PatchOk(Alice, Ops($$"""{"op":"{{op}}","path":"title","value":"T"}""")).Document.Root, "title"));
    }

    [Theory]
    [InlineData("\"False\"", false)]
    [InlineData("\"True\"", true)]
    [InlineData("\"false\"", false)]
    public void Rule02_StringBooleans_Coerced(string value, bool expected)
    {
        Assert.Equal(expected, PatchOk(Alice, Ops($$"""{"op":"Replace","path":"active","value":{{value}}}""")).Document.Active);
        Assert.Equal(expected, User($$"""{"userName":"u","active":{{value}}}""").Active);
    }

    [Fact]
    public void Rule02_StringBooleanInSubAttribute_Coerced()
    {
        var result = PatchOk(Alice, Ops("""{"op":"add","path":"roles","value":[{"value":"r","primary":"True"}]}"""));
        Assert.Equal(JsonValueKind.True, result.Document.Root.GetProperty("roles")[0].GetProperty("primary").ValueKind);
    }

    [Fact]
    public void Rule03_PathlessValueWithPathKeys_ExpandedIntoNestedAttributes()
    {
        var result = PatchOk(Alice, Ops("""{"op":"add","value":{"name.givenName":"Alice","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"7"}}"""));
        Assert.Equal("Alice", Str(result.Document.Root, "name", "givenName"));
        Assert.Equal("7", Str(result.Document.Root, Enterprise, "employeeNumber"));
    }

    [Fact]
    public void Rule04_FilteredReplaceWithoutMatch_CreatesElement()
    {
        var result = PatchOk(Alice, Ops("""{"op":"replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"555"}"""));
        Assert.Equal("""[{"value":"555","type":"mobile"}]""", result.Document.Root.GetProperty("phoneNumbers").GetRawText());
    }

    [Fact]
    public void Rule05_ReplaceOfAbsentAttribute_Adds()
    {
        Assert.Equal("N", Str(PatchOk(Alice, Ops("""{"op":"replace","path":"nickName","value":"N"}""")).Document.Root, "nickName"));
    }

    [Fact]
    public void Rule05_AddOnExistingSingleValued_Replaces()
    {
        Assert.False(PatchOk(Alice, Ops("""{"op":"Add","path":"active","value":"False"}""")).Document.Active);
    }

    [Fact]
    public void Rule06_ManagerBareStringOnWrite_ComplexOnRead()
    {
        var result = PatchOk(Alice, Ops("""{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"boss"}"""));
        Assert.Equal("""{"value":"boss"}""", Render(result.Document).GetProperty(Enterprise).GetProperty("manager").GetRawText());
    }

    [Fact]
    public void Rule07_MemberRemovalWithValueArray_RemovesOnlyListed()
    {
        var group = Group("""{"displayName":"G","members":[{"value":"1"},{"value":"2"}]}""");
        var result = PatchOk(group, Ops("""{"op":"Remove","path":"members","value":[{"value":"1"}]}"""));
        Assert.Equal("""[{"value":"2"}]""", result.Document.Root.GetProperty("members").GetRawText());
    }

    [Fact]
    public void Rule08_EqAndFilters_UnquotedValues_CaseInsensitiveNamesAndValues()
    {
        var user = Render(Alice);
        bool Match(string filter) => FilterEvaluator.Matches(FilterParser.Parse(filter).Value, user, ScimSchemas.UserResourceType).Value;
        Assert.True(Match("userName eq \"ALICE@contoso.com\""));
        Assert.True(Match("UserName EQ alice@contoso.com"));
        Assert.True(Match("userName eq \"alice@contoso.com\" and active eq true"));
    }

    [Theory]
    [InlineData("alice@contoso.com", "ALICE@CONTOSO.COM", true)]
    [InlineData("straße", "STRASSE", false)]     // no full case folding: the filter does not do it either
    [InlineData("ǅ", "ǆ", true)]
    [InlineData("alıce", "ALICE", false)]        // dotless i
    public void Rule11_UniquenessFold_AgreesWithFilterComparison(string a, string b, bool equal)
    {
        Assert.Equal(equal, string.Equals(a, b, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(equal, CaseFolding.Fold(a) == CaseFolding.Fold(b));
        var user = Render(User($$"""{"userName":"{{a}}"}"""));
        var filter = FilterParser.Parse($"userName eq \"{b}\"").Value;
        Assert.Equal(equal, FilterEvaluator.Matches(filter, user, ScimSchemas.UserResourceType).Value);
    }

    [Fact]
    public void Rule12_ValuesStoredAndEchoedExactly()
    {
        var user = Render(User("""{"userName":"Alice@Contoso.COM","displayName":" Alice  Smith ","emails":[{"value":"ALICE@contoso.com","type":"Work"}]}"""));
        Assert.Equal("Alice@Contoso.COM", Str(user, "userName"));
        Assert.Equal(" Alice  Smith ", Str(user, "displayName"));
        Assert.Equal("Work", Str(user.GetProperty("emails")[0], "type"));
    }

    [Fact]
    public void Rule13_ErrorBody_StatusIsStringWithScimType()
    {
        var body = JsonSerializer.Deserialize<JsonElement>(ScimError.Uniqueness("userName 'x' already exists").ToUtf8Json());
        Assert.Equal(ScimError.SchemaUrn, body.GetProperty("schemas")[0].GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("status").ValueKind);
        Assert.Equal("409", body.GetProperty("status").GetString());
        Assert.Equal("uniqueness", body.GetProperty("scimType").GetString());
        Assert.Equal(ScimMediaTypes.Scim, "application/scim+json");
    }

    [Fact]
    public void Rule13_ErrorWithoutScimType_OmitsIt()
    {
        var body = JsonSerializer.Deserialize<JsonElement>(ScimError.NotFound("no such user").ToUtf8Json());
        Assert.False(body.TryGetProperty("scimType", out _));
        Assert.Equal("404", body.GetProperty("status").GetString());
    }

    [Fact]
    public void Rule14_MetaEmptyRolesUnknownSchemasAndNulls_Ignored()
    {
        var document = User("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
             "externalId":"jyoung","userName":"jyoung@testuser.com","active":true,"addresses":null,
             "displayName":"Joy Young","emails":[{"type":"work","value":"jyoung@Contoso.com","primary":true}],
             "meta":{"resourceType":"User"},"name":{"familyName":"Young","givenName":"Joy"},
             "phoneNumbers":null,"preferredLanguage":null,"title":null,"department":null,"manager":null,"roles":[]}
            """);
        var root = document.Root;
        Assert.False(Has(root, "meta"));
        Assert.False(Has(root, "roles"));
        Assert.False(Has(root, "addresses"));
        Assert.False(Has(root, "title"));
        Assert.Equal("jyoung@testuser.com", document.UserName);
        Assert.Equal("jyoung", document.ExternalId);
    }

    [Fact]
    public void Rule20_SchemasDiscovery_IsListResponseOfEverySchema()
    {
        var list = DiscoveryDocuments.ListResponse([.. ScimSchemas.All.Select(s => DiscoveryDocuments.Schema(s))]);
        Assert.Equal(ScimMessages.ListResponse, list["schemas"]![0]!.GetValue<string>());
        Assert.Equal(3, list["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public void Rule21_FilteredPatchByType_KeepsOneValuePerType()
    {
        var once = PatchOk(Alice, Ops("""{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a2@contoso.com"}"""));
        var twice = PatchOk(once.Document, Ops("""{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a3@contoso.com"}"""));
        Assert.Equal(1, twice.Document.Root.GetProperty("emails").GetArrayLength());
    }

    [Theory]
    [InlineData("application/scim+json", true)]
    [InlineData("application/json", true)]
    [InlineData("application/scim+json; charset=utf-8", true)]
    [InlineData("Application/JSON;charset=UTF-8", true)]
    [InlineData("text/plain", false)]
    [InlineData(null, false)]
    public void Rule22_RequestContentTypes_Accepted(string? contentType, bool expected)
    {
        Assert.Equal(expected, ScimMediaTypes.IsAcceptedRequestType(contentType));
    }
}
