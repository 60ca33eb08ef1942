using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Tests.Filtering;

public sealed class FilterPlannerTests
{
    private static readonly string[] UserIndexes = ["id", "userName", "externalId"];

    private static FilterPlan Plan(string filter) =>
        FilterPlanner.Plan(FilterParser.Parse(filter).Value, ScimSchemas.UserResourceType, UserIndexes);

    [Theory]
    [InlineData("userName eq \"alice@contoso.com\"", "userName", "alice@contoso.com")]
    [InlineData("USERNAME EQ \"Alice@Contoso.com\"", "userName", "Alice@Contoso.com")]
    [InlineData("externalId eq jyoung", "externalId", "jyoung")]
    [InlineData("id eq \"42\"", "id", "42")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a\"", "userName", "a")]
    public void Plan_IndexedEquality_UsesIndex(string filter, string attribute, string value)
    {
        var plan = Plan(filter);
        Assert.Equal(new IndexLookup(attribute, value), plan.Lookup);
    }

    [Fact]
    public void Plan_AndWithOtherTerms_PicksBestIndexAndKeepsWholeFilter()
    {
        var plan = Plan("active eq true and externalId eq \"e\" and id eq \"1\"");
        Assert.Equal(new IndexLookup("id", "1"), plan.Lookup);
        Assert.IsType<LogicalFilter>(plan.Filter);
    }

    [Fact]
    public void Plan_EntraManagerCheck_UsesIdIndex()
    {
        var plan = Plan("id eq \"1\" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq \"2\"");
        Assert.Equal(new IndexLookup("id", "1"), plan.Lookup);
    }

    [Theory]
    [InlineData("userName eq \"a\" or userName eq \"b\"")]
    [InlineData("not (userName eq \"a\")")]
    [InlineData("userName co \"a\"")]
    [InlineData("userName ne \"a\"")]
    [InlineData("displayName eq \"a\"")]
    [InlineData("emails[value eq \"a\"]")]
    [InlineData("userName eq null")]
    public void Plan_NonNarrowingFilters_Scan(string filter)
    {
        Assert.False(Plan(filter).UsesIndex);
    }
}
