using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Resources;

public sealed class ProjectionTests
{
    private static readonly ScimDocument Barbara = User("""
        {"userName":"bjensen","externalId":"bj","displayName":"Barbara","active":true,
         "name":{"givenName":"Barbara","familyName":"Jensen"},
         "emails":[{"value":"b@x.com","type":"work","primary":true},{"value":"h@x.com","type":"home"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tours","manager":{"value":"m1"}}}
        """);

    private static System.Text.Json.JsonElement Project(string? attributes, string? excluded)
    {
        var selection = AttributeSelection.Parse(attributes, excluded, ScimSchemas.UserResourceType);
        Assert.True(selection.IsSuccess, selection.Error?.Detail);
        return Render(Barbara, selection.Value);
    }

    [Fact]
    public void Render_Default_HasSchemasIdAttributesAndMeta()
    {
        var user = Render(Barbara);
        Assert.Equal(ScimSchemas.UserUrn, user.GetProperty("schemas")[0].GetString());
        Assert.Equal(Enterprise, user.GetProperty("schemas")[1].GetString());
        Assert.Equal("2819c223", Str(user, "id"));
        Assert.Equal("bjensen", Str(user, "userName"));
        Assert.Equal("User", Str(user, "meta", "resourceType"));
        Assert.Equal("W/\"1\"", Str(user, "meta", "version"));
        Assert.Equal("2024-01-23T04:56:22.000Z", Str(user, "meta", "created"));
        Assert.Equal("https://acme.rfpio.com/rfpserver/scim/v2/Users/2819c223", Str(user, "meta", "location"));
    }

    [Fact]
    public void Render_NoExtensionData_ListsOnlyCoreSchema()
    {
        var user = Render(User("""{"userName":"u"}"""));
        Assert.Equal(1, user.GetProperty("schemas").GetArrayLength());
    }

    [Fact]
    public void Project_AttributesId_ReturnsOnlyAlwaysAttributes()
    {
        // Entra ID's manager check asks for attributes=id.
        var user = Project("id", null);
        Assert.Equal(["schemas", "id"], user.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Project_SubAttribute_ReturnsOnlyThatSub()
    {
        var user = Project("userName,name.givenName,emails.value", null);
        Assert.Equal("""{"givenName":"Barbara"}""", user.GetProperty("name").GetRawText());
        Assert.Equal("""[{"value":"b@x.com"},{"value":"h@x.com"}]""", user.GetProperty("emails").GetRawText());
        Assert.False(Has(user, "displayName"));
        Assert.False(Has(user, "meta"));
    }

    [Fact]
    public void Project_UrnQualifiedExtensionAttribute_Selected()
    {
        var user = Project($"{Enterprise}:department", null);
        Assert.Equal("Tours", Str(user, Enterprise, "department"));
        Assert.False(Has(user, Enterprise, "manager"));
        Assert.Equal(Enterprise, user.GetProperty("schemas")[1].GetString());
    }

    [Fact]
    public void Project_WholeExtensionUrn_SelectsAll()
    {
        var user = Project(Enterprise, null);
        Assert.True(Has(user, Enterprise, "manager"));
        Assert.False(Has(user, "userName"));
    }

    [Fact]
    public void Project_AttributeNamesCaseInsensitive()
    {
        var user = Project("USERNAME,Name.GivenName", null);
        Assert.Equal("bjensen", Str(user, "userName"));
        Assert.True(Has(user, "name", "givenName"));
    }

    [Fact]
    public void Project_Excluded_RemovesOnlyThose()
    {
        var user = Project(null, "emails,name.familyName,meta");
        Assert.False(Has(user, "emails"));
        Assert.False(Has(user, "name", "familyName"));
        Assert.True(Has(user, "name", "givenName"));
        Assert.False(Has(user, "meta"));
        Assert.True(Has(user, "displayName"));
    }

    [Fact]
    public void Project_ExcludingId_StillReturnsId()
    {
        Assert.Equal("2819c223", Str(Project(null, "id"), "id"));
    }

    [Fact]
    public void Project_ExcludedExtension_DropsItFromSchemas()
    {
        var user = Project(null, Enterprise);
        Assert.False(Has(user, Enterprise));
        Assert.Equal(1, user.GetProperty("schemas").GetArrayLength());
    }

    [Fact]
    public void Parse_MalformedName_InvalidValue()
    {
        Assert.False(AttributeSelection.Parse("user name!", null, ScimSchemas.UserResourceType).IsSuccess);
    }
}
