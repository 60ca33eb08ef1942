using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Schemas;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Filtering;

public sealed class FilterEvaluatorTests
{
    private static readonly System.Text.Json.JsonElement Barbara = Render(User("""
        {
          "userName": "bjensen@example.com",
          "externalId": "BJensen",
          "active": true,
          "displayName": "Barbara Jensen",
          "title": "Tour Guide",
          "name": {"givenName": "Barbara", "familyName": "Jensen"},
          "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
          ],
          "roles": [{"value": "Admin", "primary": true}],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "701984", "department": "Tour Operations", "manager": {"value": "26118915"}}
        }
        """));

    private static bool Matches(string filter)
    {
        var parsed = FilterParser.Parse(filter);
        Assert.True(parsed.IsSuccess, parsed.Error?.Detail);
        var result = FilterEvaluator.Matches(parsed.Value, Barbara, ScimSchemas.UserResourceType);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value;
    }

    private static ScimError EvaluationError(string filter) =>
        Error(FilterEvaluator.Matches(FilterParser.Parse(filter).Value, Barbara, ScimSchemas.UserResourceType));

    [Theory]
    [InlineData("userName eq \"bjensen@example.com\"", true)]
    [InlineData("userName eq \"BJENSEN@EXAMPLE.COM\"", true)]   // userName is caseExact=false
    [InlineData("USERNAME eq \"bjensen@example.com\"", true)]   // attribute names are case-insensitive
    [InlineData("userName eq \"bjensen\"", false)]
    [InlineData("externalId eq \"BJensen\"", true)]
    [InlineData("externalId eq \"bjensen\"", false)]            // externalId is caseExact=true
    [InlineData("id eq \"2819c223\"", true)]
    [InlineData("id eq \"2819C223\"", false)]                   // id is caseExact=true
    public void Matches_Equality_HonoursCaseExact(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("userName co \"jensen\"", true)]
    [InlineData("userName sw \"BJEN\"", true)]
    [InlineData("userName ew \".com\"", true)]
    [InlineData("userName ew \".org\"", false)]
    [InlineData("userName ne \"bjensen@example.com\"", false)]
    [InlineData("userName ne \"someone-else\"", true)]
    [InlineData("title gt \"Tour\"", true)]
    [InlineData("title lt \"Tour\"", false)]
    [InlineData("title ge \"tour guide\"", true)]
    [InlineData("title le \"tour guide\"", true)]
    public void Matches_StringOperators_Work(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("title pr", true)]
    [InlineData("nickName pr", false)]
    [InlineData("name.givenName pr", true)]
    [InlineData("name.middleName pr", false)]
    [InlineData("emails pr", true)]
    [InlineData("phoneNumbers pr", false)]
    public void Matches_Present_TestsAssignment(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("emails eq \"babs@jensen.org\"", true)]              // complex without sub compares value
    [InlineData("emails.value eq \"BABS@JENSEN.ORG\"", true)]
    [InlineData("emails.type eq \"other\"", false)]
    [InlineData("emails[type eq \"work\" and value co \"example.com\"]", true)]
    [InlineData("emails[type eq \"home\" and primary eq true]", false)]
    [InlineData("emails[type eq \"work\" and primary eq true]", true)]
    [InlineData("roles[primary eq \"True\"]", true)]                  // Entra ID writes the boolean as a string
    public void Matches_MultiValued_AnyValueMatches(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("active eq true", true)]
    [InlineData("active eq false", false)]
    [InlineData("active ne false", true)]
    [InlineData("active eq \"True\"", true)]
    public void Matches_Boolean_Works(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("meta.created eq \"2024-01-23T04:56:22Z\"", true)]
    [InlineData("meta.created eq \"2024-01-23T06:56:22+02:00\"", true)]   // same instant, other offset
    [InlineData("meta.lastModified gt \"2011-05-13T04:42:34Z\"", true)]
    [InlineData("meta.lastModified lt \"2011-05-13T04:42:34Z\"", false)]
    [InlineData("meta.lastModified ge \"2024-01-23T04:56:22.000Z\"", true)]
    public void Matches_DateTime_ComparesInstants(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"tour operations\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915\"", true)]
    [InlineData("manager eq \"26118915\"", true)]          // unqualified: only the enterprise extension defines it
    [InlineData("department eq \"Tour Operations\"", true)]
    [InlineData("manager.value eq \"nobody\"", false)]
    public void Matches_ExtensionAttributes_Resolve(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Fact]
    public void Matches_EntraManagerCheck_IdAndManagerValue()
    {
        // Entra ID checks the manager before updating it: id eq X and manager eq Y (URN-qualified or via the extension).
        Assert.True(Matches("id eq \"2819c223\" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq \"26118915\""));
        Assert.True(Matches("id eq \"2819c223\" and manager eq \"26118915\""));
        Assert.False(Matches("id eq \"2819c223\" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq \"someone\""));
    }

    [Theory]
    [InlineData("title eq null", false)]
    [InlineData("nickName eq null", true)]
    [InlineData("nickName ne null", false)]
    public void Matches_Null_TestsAbsence(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("not (active eq true)", false)]
    [InlineData("not (active eq false) and title pr", true)]
    [InlineData("nickName pr or title pr", true)]
    [InlineData("nickName pr or title eq \"x\" and active eq true", false)]
    public void Matches_Logical_Works(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("unknownAttribute eq \"x\"", "not an attribute of User")]
    [InlineData("name eq \"x\"", "complex attribute without a 'value'")]
    [InlineData("active gt true", "only eq, ne and pr apply")]
    [InlineData("active eq \"maybe\"", "is not true or false")]
    [InlineData("meta.created gt \"yesterday\"", "is not an xsd:dateTime")]
    [InlineData("emails[nope eq \"x\"]", "has no sub-attribute 'nope'")]
    [InlineData("title[value eq \"x\"]", "is not a complex attribute")]
    [InlineData("title gt null", "'null' can only be compared with eq or ne")]
    public void Validate_ImpossibleFilters_AreInvalidFilter(string filter, string expected)
    {
        var error = EvaluationError(filter);
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidFilter, error.Type);
        Assert.Contains(expected, error.Detail, StringComparison.Ordinal);
    }
}
