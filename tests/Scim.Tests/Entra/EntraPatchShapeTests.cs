using System.Text.Json;
using RfpioGateway.Scim.Resources;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Entra;

/// <summary>Every PATCH shape of the Entra reference, sections 2.4–2.7 (P1–P10 and the disable forms).</summary>
public sealed class EntraPatchShapeTests
{
    private static readonly ScimDocument Created = User("""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_00aa00aa@testuser.com","active":true,
         "emails":[{"primary":true,"type":"work","value":"Test_User_11bb@testuser.com"}],
         "meta":{"resourceType":"User"},
         "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
         "roles":[]}
        """);

    [Fact]
    public void P1_ReplaceSingleValuedWithPath_Replaces()
    {
        var result = PatchOk(Created, Ops("""{"op":"Replace","path":"userName","value":"5b50642d@testuser.com"}"""));
        Assert.Equal("5b50642d@testuser.com", result.Document.UserName);
    }

    [Fact]
    public void P2_FilteredSubAttributeOnExistingElement_ReplacesValue()
    {
        var result = PatchOk(Created, Ops("""{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"}"""));
        var emails = result.Document.Root.GetProperty("emails");
        Assert.Equal(1, emails.GetArrayLength());
        Assert.Equal("updatedEmail@microsoft.com", Str(emails[0], "value"));
        Assert.True(emails[0].GetProperty("primary").GetBoolean());
    }

    [Fact]
    public void P2_FilteredPathWithoutMatch_CreatesElementAndMergesLaterOps()
    {
        var result = PatchOk(Created, Ops(
            """{"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}""",
            """{"op":"Replace","path":"phoneNumbers[type eq \"work\"].value","value":"07-272-0828"}""",
            """{"op":"Replace","path":"addresses[type eq \"work\"].streetAddress","value":"2809 Johns Walk"}""",
            """{"op":"Replace","path":"addresses[type eq \"work\"].formatted","value":"18/2111"}""",
            """{"op":"Add","path":"addresses[type eq \"work\"].locality","value":"Redmond"}"""));
        var root = result.Document.Root;
        Assert.Equal("updatedFamilyName", Str(root, "name", "familyName"));
        Assert.Equal("""[{"value":"07-272-0828","type":"work"}]""", root.GetProperty("phoneNumbers").GetRawText());
        var addresses = root.GetProperty("addresses");
        Assert.Equal(1, addresses.GetArrayLength());
        Assert.Equal("2809 Johns Walk", Str(addresses[0], "streetAddress"));
        Assert.Equal("18/2111", Str(addresses[0], "formatted"));
        Assert.Equal("Redmond", Str(addresses[0], "locality"));
        Assert.Equal("work", Str(addresses[0], "type"));
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("add")]
    public void P3_AddSingleValuedString_SetsIt(string op)
    {
        var result = PatchOk(Created, Ops($$"""{"op":"{{op}}","path":"nickName","value":"Babs"}"""));
        Assert.Equal("Babs", Str(result.Document.Root, "nickName"));
    }

    [Fact]
    public void P3_AddOnExistingSingleValued_Replaces()
    {
        var first = PatchOk(Created, Ops("""{"op":"Add","path":"nickName","value":"Babs"}"""));
        var second = PatchOk(first.Document, Ops("""{"op":"Add","path":"nickName","value":"Barb"}"""));
        Assert.Equal("Barb", Str(second.Document.Root, "nickName"));
    }

    [Fact]
    public void P4_EnterpriseAttributeByUrnPath_StoredInsideExtension()
    {
        var result = PatchOk(Created, Ops(
            """{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Retail"}""",
            """{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}"""));
        var root = result.Document.Root;
        Assert.Equal("Retail", Str(root, Enterprise, "department"));
        Assert.Equal("Eqpj", Str(root, Enterprise, "employeeNumber"));
        Assert.DoesNotContain(root.EnumerateObject(), p => p.Name.EndsWith(":department", StringComparison.Ordinal));
        Assert.Contains(Enterprise, Render(result.Document).GetProperty("schemas").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void P4_LegacyDottedExtensionPath_StoredInsideExtension()
    {
        var result = PatchOk(Created, Ops("""{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.department","value":"Retail"}"""));
        Assert.Equal("Retail", Str(result.Document.Root, Enterprise, "department"));
    }

    [Fact]
    public void P5_PathlessReplaceWithDottedAndUrnKeys_Expanded()
    {
        var result = PatchOk(Created, """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[
              {"op":"replace","path":"emails[type eq \"work\"].value","value":"TestMhvaes@test.microsoft.com"},
              {"op":"replace","value":{
                 "displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}
            """);
        var root = result.Document.Root;
        Assert.Equal("Bjfe", Str(root, "displayName"));
        Assert.Equal("Kkom", Str(root, "name", "givenName"));
        Assert.Equal("Unua", Str(root, "name", "familyName"));
        Assert.Equal("givenName familyName", Str(root, "name", "formatted"));
        Assert.Equal("Aklq", Str(root, Enterprise, "employeeNumber"));
        Assert.Equal("TestMhvaes@test.microsoft.com", Str(root.GetProperty("emails")[0], "value"));
        Assert.DoesNotContain(root.EnumerateObject(), p => p.Name.StartsWith("name.", StringComparison.Ordinal) || p.Name.EndsWith(":employeeNumber", StringComparison.Ordinal));
    }

    [Fact]
    public void P5_PathlessAddWithDottedKeys_Expanded()
    {
        var result = PatchOk(Created, Ops("""{"op":"add","value":{"name.middleName":"Q","title":"Boss"}}"""));
        Assert.Equal("Q", Str(result.Document.Root, "name", "middleName"));
        Assert.Equal("Boss", Str(result.Document.Root, "title"));
    }

    [Theory]
    [InlineData("""{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}""", "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"CBEQXYNPNAZS"}}""", "CBEQXYNPNAZS")]
    [InlineData("""{"op":"Add","path":"manager","value":[{"$ref":"http://x/Users/m9","value":"m9"}]}""", "m9")]
    [InlineData("""{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager":"m7"}}""", "m7")]
    public void P6_ManagerSet_ReadsBackAsComplexValue(string operation, string expected)
    {
        var result = PatchOk(Created, Ops(operation));
        var manager = Render(result.Document).GetProperty(Enterprise).GetProperty("manager");
        Assert.Equal(JsonValueKind.Object, manager.ValueKind);
        Assert.Equal(expected, Str(manager, "value"));
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":""}""")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":""}}""")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":null}""")]
    [InlineData("""{"op":"remove","path":"manager[value eq \"manager-id\"]"}""")]
    [InlineData("""{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}""")]
    public void P6_ManagerRemoved_AllFourShapes(string operation)
    {
        var withManager = PatchOk(Created, Ops("""{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"manager-id"}"""));
        var result = PatchOk(withManager.Document, Ops(operation));
        Assert.True(result.Changed);
        Assert.False(Has(Render(result.Document), Enterprise, "manager"));
    }

    [Fact]
    public void P6_RemoveManagerWithOtherId_KeepsManager()
    {
        var withManager = PatchOk(Created, Ops("""{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"manager-id"}"""));
        var result = PatchOk(withManager.Document, Ops("""{"op":"remove","path":"manager[value eq \"someone-else\"]"}"""));
        Assert.False(result.Changed);
    }

    [Fact]
    public void P7_RolesAsJsonEncodedStrings_Decoded()
    {
        var result = PatchOk(Created, Ops("""{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}]}"""));
        var roles = result.Document.Root.GetProperty("roles");
        Assert.Equal(1, roles.GetArrayLength());
        Assert.Equal("25", Str(roles[0], "value"));
    }

    [Fact]
    public void P7_AssertiveRolesReplace_ReplacesAll()
    {
        var first = PatchOk(Created, Ops("""{"op":"Add","path":"roles","value":[{"value":"a"},{"value":"b"}]}"""));
        var result = PatchOk(first.Document, Ops("""{"op":"replace","path":"roles","value":[{"primary":false,"value":"c"}]}"""));
        Assert.Equal("""[{"value":"c","primary":false}]""", result.Document.Root.GetProperty("roles").GetRawText());
    }

    [Fact]
    public void P8_PathlessReplaceOfUserName_Replaces()
    {
        var result = PatchOk(Created, Ops("""{"op":"replace","value":{"userName":"emilio@hermann.uk"}}"""));
        Assert.Equal("emilio@hermann.uk", result.Document.UserName);
    }

    [Fact]
    public void P9_EmptyStringAndNull_ClearAttributes()
    {
        var filled = PatchOk(Created, Ops("""{"op":"add","value":{"title":"T","nickName":"N","preferredLanguage":"en"}}"""));
        var result = PatchOk(filled.Document, Ops(
            """{"op":"replace","path":"title","value":""}""",
            """{"op":"replace","path":"nickName","value":null}""",
            """{"op":"replace","value":{"preferredLanguage":""}}"""));
        var root = result.Document.Root;
        Assert.False(Has(root, "title"));
        Assert.False(Has(root, "nickName"));
        Assert.False(Has(root, "preferredLanguage"));
    }

    [Fact]
    public void P10_RolesPrimaryTrueFilter_CreatesPrimaryRole()
    {
        var result = PatchOk(Created, Ops(
            """{"op":"add","path":"roles[primary eq \"True\"].value","value":"Admin"}""",
            """{"op":"add","path":"roles[primary eq \"True\"].display","value":"Administrator"}""",
            """{"op":"add","path":"roles[primary eq \"True\"].type","value":"WindowsAzureActiveDirectoryRole"}"""));
        var roles = result.Document.Root.GetProperty("roles");
        Assert.Equal(1, roles.GetArrayLength());
        Assert.True(roles[0].GetProperty("primary").GetBoolean());
        Assert.Equal("Admin", Str(roles[0], "value"));
        Assert.Equal("Administrator", Str(roles[0], "display"));
        Assert.Equal("WindowsAzureActiveDirectoryRole", Str(roles[0], "type"));
    }

    [Theory]
    [InlineData("""{"op":"Replace","path":"active","value":"False"}""")]
    [InlineData("""{"op":"Replace","path":"active","value":"false"}""")]
    [InlineData("""{"op":"Replace","path":"active","value":false}""")]
    [InlineData("""{"op":"replace","path":"active","value":false}""")]
    [InlineData("""{"op":"Add","path":"active","value":"False"}""")]
    [InlineData("""{"op":"replace","value":{"active":false}}""")]
    public void Disable_EveryObservedForm_SetsActiveFalse(string operation)
    {
        var result = PatchOk(Created, Ops(operation));
        Assert.True(result.Changed);
        Assert.False(result.Document.Active);
        Assert.Equal(JsonValueKind.False, Render(result.Document).GetProperty("active").ValueKind);
    }

    [Fact]
    public void Reenable_ActiveTrueOnActiveUser_IsNoChange()
    {
        // Entra ID re-sends active=true every cycle; the store must be able to skip the write.
        var result = PatchOk(Created, Ops("""{"op":"Replace","path":"active","value":"True"}"""));
        Assert.False(result.Changed);
    }

    [Fact]
    public void Groups_EntraMemberOpsAndRename_Work()
    {
        var group = Group("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],"externalId":"8aa1a0c0","displayName":"displayName","meta":{"resourceType":"Group"}}""");
        var renamed = PatchOk(group, Ops("""{"op":"Replace","path":"displayName","value":"New"}"""));
        var added = PatchOk(renamed.Document, Ops("""{"op":"Add","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"},{"value":"other"}]}"""));
        var removed = PatchOk(added.Document, Ops("""{"op":"Remove","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}"""));
        Assert.Equal("New", removed.Document.DisplayName);
        Assert.Equal("""[{"value":"other"}]""", removed.Document.Root.GetProperty("members").GetRawText());
    }
}
