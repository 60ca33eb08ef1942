using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Resources;

public sealed class ResourceValidatorTests
{
    [Fact]
    public void Validate_MixedCaseNames_WritesSchemaCasing()
    {
        var document = User("""{"USERNAME":"bjensen","Name":{"GIVENNAME":"Barbara"},"emails":[{"VALUE":"b@x.com","Type":"work"}]}""");
        Assert.Equal("""{"userName":"bjensen","name":{"givenName":"Barbara"},"emails":[{"value":"b@x.com","type":"work"}]}""", document.ToJson());
    }

    [Fact]
    public void Validate_ValuesKeptExactlyAsSent()
    {
        var document = User("""{"userName":"  BJensen@Example.COM ","displayName":"Zoë  O'Brien","title":"ⓥⓟ"}""");
        Assert.Equal("  BJensen@Example.COM ", document.UserName);
        Assert.Equal("Zoë  O'Brien", Str(document.Root, "displayName"));
        Assert.Equal("ⓥⓟ", Str(document.Root, "title"));
    }

    [Theory]
    [InlineData("\"True\"", true)]
    [InlineData("\"false\"", false)]
    [InlineData("\"FALSE\"", false)]
    [InlineData("true", true)]
    public void Validate_BooleanStrings_BecomeBooleans(string active, bool expected)
    {
        var document = User($$"""{"userName":"u","active":{{active}}}""");
        Assert.Equal(expected, document.Active);
        Assert.Equal(expected ? JsonValueKind.True : JsonValueKind.False, document.Root.GetProperty("active").ValueKind);
    }

    [Fact]
    public void Validate_BooleanStringSubAttribute_BecomesBoolean()
    {
        var document = User("""{"userName":"u","roles":[{"value":"Admin","primary":"True"}]}""");
        Assert.Equal(JsonValueKind.True, document.Root.GetProperty("roles")[0].GetProperty("primary").ValueKind);
    }

    [Fact]
    public void Validate_NullAndEmpty_AreUnassigned()
    {
        var document = User("""{"userName":"u","title":null,"nickName":"","addresses":null,"phoneNumbers":[],"name":{"givenName":""},"emails":[null]}""");
        Assert.Equal("""{"userName":"u"}""", document.ToJson());
    }

    [Fact]
    public void Validate_ReadOnlyInput_Ignored()
    {
        var document = User("""{"id":"mine","userName":"u","meta":{"resourceType":"User","created":"2020-01-01T00:00:00Z"},"groups":[{"value":"g1"}]}""");
        Assert.Equal("""{"userName":"u"}""", document.ToJson());
    }

    [Fact]
    public void Validate_Password_NeverStored()
    {
        var document = User("""{"userName":"u","password":"t1meMa$heen"}""");
        Assert.DoesNotContain("t1me", document.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownAttributesAndSchemas_IgnoredAndNotStored()
    {
        var document = User("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
             "userName":"u","favouriteColour":"teal",
             "urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User":{"shoeSize":"42"}}
            """);
        Assert.Equal("""{"userName":"u"}""", document.ToJson());
    }

    [Fact]
    public void Validate_ExtensionWithoutUrnInSchemas_Kept()
    {
        var document = User("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"Department":"Retail"}}""");
        Assert.Equal("Retail", Str(document.Root, Enterprise, "department"));
    }

    [Fact]
    public void Validate_ManagerAsBareString_BecomesComplex()
    {
        var document = User("""{"userName":"u","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"26118915"}}""");
        Assert.Equal("26118915", Str(document.Root, Enterprise, "manager", "value"));
    }

    [Fact]
    public void Validate_ManagerDisplayName_IsReadOnlyAndDropped()
    {
        var document = User("""{"userName":"u","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1","displayName":"Boss"}}}""");
        Assert.Equal("""{"value":"m1"}""", document.Root.GetProperty(Enterprise).GetProperty("manager").GetRawText());
    }

    [Fact]
    public void Validate_RolesAsJsonEncodedStrings_Decoded()
    {
        var document = User("""{"userName":"u","roles":["{\"id\":\"06b07648\",\"value\":\"25\",\"displayName\":\"Role1234\"}"]}""");
        Assert.Equal("25", Str(document.Root.GetProperty("roles")[0], "value"));
    }

    [Fact]
    public void Validate_FullyQualifiedCoreAttributeName_Accepted()
    {
        var document = User("""{"urn:ietf:params:scim:schemas:core:2.0:User:userName":"u"}""");
        Assert.Equal("u", document.UserName);
    }

    [Theory]
    [InlineData("""{"userName":42}""", "'userName' must be a string, not the number 42")]
    [InlineData("""{"userName":"u","active":"yes"}""", "'active' must be a boolean")]
    [InlineData("""{"userName":"u","name":"Barbara"}""", "'name' must be a JSON object")]
    [InlineData("""{"userName":"u","emails":[{"value":7}]}""", "'emails.value' must be a string")]
    [InlineData("""{"userName":"u","emails":[{"value":"a","primary":"often"}]}""", "'emails.primary' must be a boolean")]
    [InlineData("""{"userName":"u","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"Retail"}""", "must be a JSON object")]
    [InlineData("""{"userName":"u","x509Certificates":[{"value":"not base64!"}]}""", "base64")]
    public void Validate_WrongTypes_InvalidValueNamingTheAttribute(string json, string expected)
    {
        var error = Error(ValidateUser(json));
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.Type);
        Assert.Contains(expected, error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"displayName":"no user name"}""")]
    [InlineData("""{"userName":""}""")]
    [InlineData("""{"userName":null}""")]
    public void Validate_MissingUserName_RequiredError(string json)
    {
        var error = Error(ValidateUser(json));
        Assert.Equal(ScimErrorType.InvalidValue, error.Type);
        Assert.Contains("'userName' is required", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateNamesDifferingInCase_InvalidSyntax()
    {
        var error = Error(ValidateUser("""{"userName":"a","USERNAME":"b"}"""));
        Assert.Equal(ScimErrorType.InvalidSyntax, error.Type);
    }

    [Fact]
    public void Validate_TwoPrimaryValues_InvalidValue()
    {
        var error = Error(ValidateUser("""{"userName":"u","emails":[{"value":"a","primary":true},{"value":"b","primary":"True"}]}"""));
        Assert.Contains("primary", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LoneValueForMultiValued_ReadAsArray()
    {
        var document = User("""{"userName":"u","emails":{"value":"a@x.com"}}""");
        Assert.Equal(JsonValueKind.Array, document.Root.GetProperty("emails").ValueKind);
    }

    [Fact]
    public void Validate_NotAnObject_InvalidSyntax()
    {
        Assert.Equal(ScimErrorType.InvalidSyntax, Error(ValidateUser("[1,2]")).Type);
    }

    [Fact]
    public void Validate_MalformedJson_InvalidSyntaxWithPosition()
    {
        var error = Error(ValidateUser("{\"userName\": \"u\",\n \"active\": tru }"));
        Assert.Equal(ScimErrorType.InvalidSyntax, error.Type);
        Assert.Contains("line 2", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StringOverLimit_InvalidValue()
    {
        var error = Error(ValidateUser($$"""{"userName":"{{new string('x', 20_000)}}"}"""));
        Assert.Contains("limit is 16384", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TooManyValues_InvalidValue()
    {
        var emails = string.Join(',', Enumerable.Range(0, 101).Select(i => $$"""{"value":"u{{i}}@x.com"}"""));
        var error = Error(ValidateUser($$"""{"userName":"u","emails":[{{emails}}]}"""));
        Assert.Contains("limit is 100", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ImmutableAttributeChangedOnReplace_Mutability()
    {
        var badge = new AttributeDefinition { Name = "badge", Mutability = Mutability.Immutable };
        var schema = ScimSchemas.User with { Attributes = [.. ScimSchemas.User.Attributes, badge] };
        var resourceType = ScimSchemas.UserResourceType with { Schema = schema };
        var created = ResourceValidator.Validate("""{"userName":"u","badge":"A1"}"""u8.ToArray(), resourceType, ValidationContext.Create);
        Assert.True(created.IsSuccess);

        var same = ResourceValidator.Validate("""{"userName":"u2","badge":"A1"}"""u8.ToArray(), resourceType, ValidationContext.Replace, created.Value);
        Assert.True(same.IsSuccess);
        var changed = ResourceValidator.Validate("""{"userName":"u","badge":"B2"}"""u8.ToArray(), resourceType, ValidationContext.Replace, created.Value);
        Assert.Equal(ScimErrorType.Mutability, Error(changed).Type);
        var dropped = ResourceValidator.Validate("""{"userName":"u"}"""u8.ToArray(), resourceType, ValidationContext.Replace, created.Value);
        Assert.Equal(ScimErrorType.Mutability, Error(dropped).Type);
    }

    [Fact]
    public void Validate_GroupWithMembers_Accepted()
    {
        var group = Group("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Tour Guides","members":[{"value":"2819c223","$ref":"https://x/Users/2819c223","display":"Babs"}]}""");
        Assert.Equal("Tour Guides", group.DisplayName);
        Assert.Equal("2819c223", Str(group.Root.GetProperty("members")[0], "value"));
    }

    [Fact]
    public void Validate_OutputOrder_IsCanonicalWhateverTheInputOrder()
    {
        var a = User("""{"title":"t","userName":"u","externalId":"e"}""");
        var b = User("""{"externalId":"e","userName":"u","title":"t"}""");
        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.StartsWith("""{"externalId":"e","userName":"u""", a.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("\"urn:ietf:params:scim:schemas:core:2.0:User\"")]
    [InlineData("[1]")]
    [InlineData("{}")]
    public void Validate_SchemasNotAListOfUris_InvalidSyntax(string schemas)
    {
        var error = Error(ValidateUser($$"""{"schemas":{{schemas}},"userName":"u"}"""));
        Assert.Equal(ScimErrorType.InvalidSyntax, error.Type);
        Assert.Contains("schemas", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"urn:ietf:params:scim:schemas:core:2.0:User\"]")]
    [InlineData("[]")]
    [InlineData("null")]
    public void Validate_SchemasListOrNull_Accepted(string schemas)
    {
        Assert.Equal("u", User($$"""{"schemas":{{schemas}},"userName":"u"}""").UserName);
    }
}
