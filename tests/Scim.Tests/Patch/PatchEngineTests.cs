using System.Text.Json;
using RfpioGateway.Scim.Errors;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Patch;

public sealed class PatchEngineTests
{
    private static readonly RfpioGateway.Scim.Resources.ScimDocument Base = User("""
        {"userName":"bjensen","displayName":"Barbara","active":true,"title":"Guide",
         "name":{"givenName":"Barbara","familyName":"Jensen"},
         "emails":[{"value":"b@x.com","type":"work","primary":true},{"value":"h@x.com","type":"home"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tours","manager":{"value":"m1"}}}
        """);

    [Fact]
    public void Apply_FailingLaterOperation_ChangesNothing()
    {
        var result = ApplyPatch(Base, Ops(
            """{"op":"replace","path":"displayName","value":"Babs"}""",
            """{"op":"replace","path":"active","value":"perhaps"}"""));
        Assert.Equal(ScimErrorType.InvalidValue, Error(result).Type);
        Assert.Equal("Barbara", Str(Base.Root, "displayName"));
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"password","value":"t1meMa$heen"}""")]
    [InlineData("""{"op":"add","path":"password","value":"t1meMa$heen"}""")]
    [InlineData("""{"op":"replace","value":{"password":"t1meMa$heen"}}""")]
    public void Apply_Password_AcceptedNeverStored(string operation)
    {
        // RFC 7643 §4.1.1: password is writeOnly; we advertise changePassword unsupported and keep no password.
        var result = PatchOk(Base, Ops(operation));
        Assert.False(result.Changed);
        Assert.DoesNotContain("t1meMa", result.Document.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SameReplaceTwice_SecondReportsNoChange()
    {
        var once = PatchOk(Base, Ops("""{"op":"replace","path":"title","value":"Lead"}"""));
        Assert.True(once.Changed);
        var twice = PatchOk(once.Document, Ops("""{"op":"replace","path":"title","value":"Lead"}"""));
        Assert.False(twice.Changed);
        Assert.Equal(once.Document.ToJson(), twice.Document.ToJson());
    }

    [Fact]
    public void Apply_AddToMultiValued_Appends()
    {
        var result = PatchOk(Base, Ops("""{"op":"add","path":"phoneNumbers","value":[{"value":"555","type":"work"}]}"""));
        Assert.Equal("555", Str(result.Document.Root.GetProperty("phoneNumbers")[0], "value"));
    }

    [Fact]
    public void Apply_AddExistingValue_IsNoChange()
    {
        var result = PatchOk(Base, Ops("""{"op":"add","path":"emails","value":[{"value":"h@x.com","type":"home"}]}"""));
        Assert.False(result.Changed);
    }

    [Fact]
    public void Apply_AddNewPrimary_DemotesOldPrimary()
    {
        var result = PatchOk(Base, Ops("""{"op":"add","path":"emails","value":[{"value":"n@x.com","type":"other","primary":true}]}"""));
        var emails = result.Document.Root.GetProperty("emails").EnumerateArray().ToList();
        Assert.Single(emails, e => e.TryGetProperty("primary", out var p) && p.GetBoolean());
        Assert.Equal("n@x.com", Str(emails.Single(e => e.TryGetProperty("primary", out var p) && p.GetBoolean()), "value"));
    }

    [Fact]
    public void Apply_ReplaceMultiValued_ReplacesAll()
    {
        var result = PatchOk(Base, Ops("""{"op":"replace","path":"emails","value":[{"value":"only@x.com"}]}"""));
        Assert.Equal(1, result.Document.Root.GetProperty("emails").GetArrayLength());
    }

    [Fact]
    public void Apply_ReplaceComplex_MergesSubAttributes()
    {
        var result = PatchOk(Base, Ops("""{"op":"replace","path":"name","value":{"familyName":"Jensen-Smith"}}"""));
        Assert.Equal("Barbara", Str(result.Document.Root, "name", "givenName"));
        Assert.Equal("Jensen-Smith", Str(result.Document.Root, "name", "familyName"));
    }

    [Fact]
    public void Apply_RemoveAttribute_Removes()
    {
        var result = PatchOk(Base, Ops("""{"op":"remove","path":"title"}"""));
        Assert.False(Has(result.Document.Root, "title"));
        Assert.True(result.Changed);
    }

    [Fact]
    public void Apply_RemoveAbsentAttribute_SucceedsWithoutChange()
    {
        var result = PatchOk(Base, Ops("""{"op":"remove","path":"nickName"}"""));
        Assert.False(result.Changed);
    }

    [Fact]
    public void Apply_RemoveWithValueFilter_RemovesMatchedOnly()
    {
        var result = PatchOk(Base, Ops("""{"op":"remove","path":"emails[type eq \"home\"]"}"""));
        var emails = result.Document.Root.GetProperty("emails");
        Assert.Equal(1, emails.GetArrayLength());
        Assert.Equal("work", Str(emails[0], "type"));
    }

    [Fact]
    public void Apply_RemoveLastValue_UnassignsAttribute()
    {
        var result = PatchOk(Base, Ops("""{"op":"remove","path":"emails[type eq \"home\"]"}""", """{"op":"remove","path":"emails[type eq \"work\"]"}"""));
        Assert.False(Has(result.Document.Root, "emails"));
    }

    [Fact]
    public void Apply_RemoveSubAttributeThroughFilter_KeepsElement()
    {
        var result = PatchOk(Base, Ops("""{"op":"remove","path":"emails[type eq \"work\"].primary"}"""));
        Assert.False(result.Document.Root.GetProperty("emails")[0].TryGetProperty("primary", out _));
    }

    [Fact]
    public void Apply_RemoveRequiredAttribute_InvalidValue()
    {
        var error = Error(ApplyPatch(Base, Ops("""{"op":"remove","path":"userName"}""")));
        Assert.Equal(ScimErrorType.InvalidValue, error.Type);
        Assert.Contains("'userName' is required", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("meta.created")]
    [InlineData("groups")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName")]
    public void Apply_PathToReadOnly_Mutability(string path)
    {
        var error = Error(ApplyPatch(Base, Ops($$"""{"op":"replace","path":"{{path}}","value":"x"}""")));
        Assert.Equal(ScimErrorType.Mutability, error.Type);
    }

    [Fact]
    public void Apply_PathlessReadOnlyKeys_Ignored()
    {
        // Okta renames with a pathless replace that carries the id.
        var result = PatchOk(Base, Ops("""{"op":"replace","value":{"id":"other","displayName":"Babs","meta":{}}}"""));
        Assert.Equal("Babs", result.Document.DisplayName);
    }

    [Fact]
    public void Apply_UnknownAttributeOfKnownSchema_InvalidPath()
    {
        Assert.Equal(ScimErrorType.InvalidPath, Error(ApplyPatch(Base, Ops("""{"op":"replace","path":"shoeSize","value":"42"}"""))).Type);
    }

    [Fact]
    public void Apply_AttributeOfUnknownExtension_IgnoredLikeInBodies()
    {
        var result = PatchOk(Base, Ops("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:shoeSize","value":"42"}"""));
        Assert.False(result.Changed);
    }

    [Fact]
    public void Apply_FilterThatCannotDescribeAnElement_NoTarget()
    {
        var error = Error(ApplyPatch(Base, Ops("""{"op":"replace","path":"emails[value co \"zzz\"].type","value":"other"}""")));
        Assert.Equal(ScimErrorType.NoTarget, error.Type);
    }

    [Fact]
    public void Apply_ValueFilterOnSimpleAttribute_InvalidPath()
    {
        Assert.Equal(ScimErrorType.InvalidPath, Error(ApplyPatch(Base, Ops("""{"op":"replace","path":"title[value eq \"x\"]","value":"y"}"""))).Type);
    }

    [Theory]
    [InlineData("""{"Operations":[]}""", ScimErrorType.InvalidSyntax)]
    [InlineData("""{"schemas":["urn:other"],"Operations":[{"op":"add","path":"title","value":"x"}]}""", ScimErrorType.InvalidSyntax)]
    [InlineData("""{"Operations":[{"op":"move","path":"title","value":"x"}]}""", ScimErrorType.InvalidSyntax)]
    [InlineData("""{"Operations":[{"op":"remove"}]}""", ScimErrorType.NoTarget)]
    [InlineData("""{"Operations":[{"op":"add","path":"title"}]}""", ScimErrorType.InvalidSyntax)]
    [InlineData("""{"Operations":[{"op":"add","value":"x"}]}""", ScimErrorType.InvalidSyntax)]
    [InlineData("""{"Operations":[{"op":"add","path":7,"value":"x"}]}""", ScimErrorType.InvalidPath)]
    [InlineData("""{"Operations":"add"}""", ScimErrorType.InvalidSyntax)]
    [InlineData("""[]""", ScimErrorType.InvalidSyntax)]
    public void Parse_MalformedPatch_ScimError(string body, ScimErrorType expected)
    {
        Assert.Equal(expected, Error(ApplyPatch(Base, body)).Type);
    }

    [Fact]
    public void Parse_TooManyOperations_InvalidValue()
    {
        var ops = Enumerable.Repeat("""{"op":"replace","path":"title","value":"x"}""", 501).ToArray();
        Assert.Contains("limit is 500", Error(ApplyPatch(Base, Ops(ops))).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MembersCaseInsensitive_Accepted()
    {
        var result = PatchOk(Base, """{"SCHEMAS":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"operations":[{"OP":"Replace","PATH":"title","VALUE":"Lead"}]}""");
        Assert.Equal("Lead", Str(result.Document.Root, "title"));
    }

    [Fact]
    public void Apply_GroupMemberAddAndRemove_OnlyListedMembers()
    {
        var group = Group("""{"displayName":"G","members":[{"value":"a"},{"value":"b"},{"value":"c"}]}""");
        var added = PatchOk(group, Ops("""{"op":"Add","path":"members","value":[{"$ref":null,"value":"d"}]}"""));
        Assert.Equal(4, added.Document.Root.GetProperty("members").GetArrayLength());
        var removed = PatchOk(added.Document, Ops("""{"op":"Remove","path":"members","value":[{"$ref":null,"value":"b"},{"value":"d"}]}"""));
        Assert.Equal(["a", "c"], removed.Document.Root.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("value").GetString()));
    }

    [Fact]
    public void Apply_GroupMemberRemoveByFilter_RemovesThatMember()
    {
        var group = Group("""{"displayName":"G","members":[{"value":"a"},{"value":"b"}]}""");
        var removed = PatchOk(group, Ops("""{"op":"remove","path":"members[value eq \"a\"]"}"""));
        Assert.Equal("b", removed.Document.Root.GetProperty("members")[0].GetProperty("value").GetString());
    }

    [Fact]
    public void Apply_ResultTooLarge_InvalidValue()
    {
        var big = new string('x', 16_000);
        var ops = Enumerable.Range(0, 20).Select(i => $$"""{"op":"add","path":"emails","value":[{"value":"{{i}}{{big}}"}]}""").ToArray();
        Assert.Contains("limit is 262144", Error(ApplyPatch(Base, Ops(ops))).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ChangedDocument_StillCanonical()
    {
        var result = PatchOk(Base, Ops("""{"op":"add","path":"NickName","value":"Babs"}"""));
        Assert.Equal("Babs", result.Document.Root.GetProperty("nickName").GetString());
        Assert.Equal(JsonValueKind.Undefined, result.Document.Root.TryGetProperty("NickName", out var wrong) ? wrong.ValueKind : JsonValueKind.Undefined);
    }
}
