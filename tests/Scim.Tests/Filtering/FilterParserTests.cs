using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Filtering;

public sealed class FilterParserTests
{
    private static FilterNode Parse(string filter)
    {
        var result = FilterParser.Parse(filter);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value;
    }

    private static ScimError ParseError(string filter) => Error(FilterParser.Parse(filter));

    [Fact]
    public void Parse_SimpleEquality_BuildsComparison()
    {
        var node = Assert.IsType<ComparisonFilter>(Parse("userName eq \"bjensen\""));
        Assert.Equal(new AttributePath(null, "userName"), node.Path);
        Assert.Equal(ComparisonOperator.Equal, node.Operator);
        Assert.Equal(FilterValue.String("bjensen"), node.Value);
    }

    [Fact]
    public void Parse_OrThenAnd_AndBindsTighter()
    {
        // a or b and c  ==  a or (b and c)
        var node = Assert.IsType<LogicalFilter>(Parse("title pr or userType eq \"Employee\" and active eq true"));
        Assert.Equal(LogicalOperator.Or, node.Operator);
        Assert.IsType<PresentFilter>(node.Left);
        var right = Assert.IsType<LogicalFilter>(node.Right);
        Assert.Equal(LogicalOperator.And, right.Operator);
    }

    [Fact]
    public void Parse_AndThenOr_AndBindsTighter()
    {
        // a and b or c  ==  (a and b) or c
        var node = Assert.IsType<LogicalFilter>(Parse("title pr and userType eq \"Employee\" or active eq true"));
        Assert.Equal(LogicalOperator.Or, node.Operator);
        Assert.Equal(LogicalOperator.And, Assert.IsType<LogicalFilter>(node.Left).Operator);
    }

    [Fact]
    public void Parse_Parentheses_OverridePrecedence()
    {
        var node = Assert.IsType<LogicalFilter>(Parse("(title pr or userType eq \"Employee\") and active eq true"));
        Assert.Equal(LogicalOperator.And, node.Operator);
        Assert.Equal(LogicalOperator.Or, Assert.IsType<LogicalFilter>(node.Left).Operator);
    }

    [Fact]
    public void Parse_NotWithParentheses_BindsTighterThanAnd()
    {
        var node = Assert.IsType<LogicalFilter>(Parse("not (active eq true) and title pr"));
        Assert.Equal(LogicalOperator.And, node.Operator);
        Assert.IsType<NotFilter>(node.Left);
    }

    [Fact]
    public void Parse_NotWithoutParentheses_IsInvalidFilter()
    {
        var error = ParseError("not active eq true");
        Assert.Equal(ScimErrorType.InvalidFilter, error.Type);
        Assert.Contains("'(' after 'not'", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LeftAssociativeChain_GroupsLeft()
    {
        var node = Assert.IsType<LogicalFilter>(Parse("a pr and b pr and c pr"));
        Assert.IsType<LogicalFilter>(node.Left);
        Assert.IsType<PresentFilter>(node.Right);
    }

    [Fact]
    public void Parse_ValuePath_BuildsValuePathFilter()
    {
        var node = Assert.IsType<ValuePathFilter>(Parse("emails[type eq \"work\" and value co \"@example.com\"]"));
        Assert.Equal("emails", node.Path.Name);
        Assert.Equal(LogicalOperator.And, Assert.IsType<LogicalFilter>(node.Filter).Operator);
    }

    [Fact]
    public void Parse_ValuePathCombinedWithOr_Works()
    {
        var node = Assert.IsType<LogicalFilter>(Parse(
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")"));
        var right = Assert.IsType<LogicalFilter>(node.Right);
        Assert.Equal(new AttributePath(null, "emails", "value"), Assert.IsType<ComparisonFilter>(right.Right).Path);
    }

    [Fact]
    public void Parse_NestedValuePath_IsInvalidFilter()
    {
        Assert.Equal(ScimErrorType.InvalidFilter, ParseError("emails[type[value eq \"x\"]]").Type);
    }

    [Fact]
    public void Parse_EscapedQuoteInsideValue_DecodesQuote()
    {
        var node = Assert.IsType<ComparisonFilter>(Parse("displayName eq \"Barbara \\\"Babs\\\" Jensen\""));
        Assert.Equal("Barbara \"Babs\" Jensen", node.Value.Text);
    }

    [Fact]
    public void Parse_BracketsAndParensInsideValue_AreText()
    {
        var node = Assert.IsType<ValuePathFilter>(Parse("emails[value eq \"a]b)c(d[e\"]"));
        Assert.Equal("a]b)c(d[e", Assert.IsType<ComparisonFilter>(node.Filter).Value.Text);
    }

    [Fact]
    public void Parse_UnicodeEscape_Decodes()
    {
        var node = Assert.IsType<ComparisonFilter>(Parse("displayName eq \"Zo\\u00EB\""));
        Assert.Equal("Zoë", node.Value.Text);
    }

    [Fact]
    public void Parse_InvalidEscape_IsInvalidFilterWithPosition()
    {
        var error = ParseError("displayName eq \"bad \\q\"");
        Assert.Equal(ScimErrorType.InvalidFilter, error.Type);
        Assert.Contains("position 16", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UrnQualifiedAttributeWithVersionDots_SplitsAtLastColon()
    {
        var node = Assert.IsType<ComparisonFilter>(Parse(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\""));
        Assert.Equal("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", node.Path.Schema);
        Assert.Equal("employeeNumber", node.Path.Name);
    }

    [Fact]
    public void Parse_UrnQualifiedSubAttribute_SplitsNameAndSub()
    {
        var node = Assert.IsType<ComparisonFilter>(Parse(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915\""));
        Assert.Equal("manager", node.Path.Name);
        Assert.Equal("value", node.Path.SubAttribute);
    }

    [Theory]
    [InlineData("userName EQ \"x\"")]
    [InlineData("userName Eq \"x\"")]
    [InlineData("title PR AND userName eq \"x\"")]
    [InlineData("NOT (title pr)")]
    public void Parse_KeywordsInAnyCase_Accepted(string filter)
    {
        Assert.True(FilterParser.Parse(filter).IsSuccess);
    }

    [Theory]
    [InlineData("active eq true", FilterValueKind.Boolean, "true")]
    [InlineData("active eq False", FilterValueKind.Boolean, "false")]
    [InlineData("title eq null", FilterValueKind.Null, "null")]
    [InlineData("x eq 42", FilterValueKind.Number, "42")]
    [InlineData("x eq -1.5", FilterValueKind.Number, "-1.5")]
    [InlineData("x eq 1e3", FilterValueKind.Number, "1000")]
    public void Parse_LiteralValues_HaveTheirKind(string filter, FilterValueKind kind, string text)
    {
        var node = Assert.IsType<ComparisonFilter>(Parse(filter));
        Assert.Equal(kind, node.Value.Kind);
        Assert.Equal(text, node.Value.Text);
    }

    [Fact]
    public void Parse_LegacyUnquotedValue_IsString()
    {
        // Old Entra ID documentation: GET /Users?filter=externalId eq jyoung
        var node = Assert.IsType<ComparisonFilter>(Parse("externalId eq jyoung"));
        Assert.Equal(FilterValue.String("jyoung"), node.Value);
    }

    [Fact]
    public void Parse_DateValue_KeptAsString()
    {
        var node = Assert.IsType<ComparisonFilter>(Parse("meta.lastModified gt \"2011-05-13T04:42:34Z\""));
        Assert.Equal(ComparisonOperator.GreaterThan, node.Operator);
        Assert.Equal("2011-05-13T04:42:34Z", node.Value.Text);
    }

    [Theory]
    [InlineData("userName eq", "Expected a value", 12)]
    [InlineData("userName zz \"x\"", "'zz' at position 10 is not an operator", 10)]
    [InlineData("(userName eq \"x\"", "Expected ')'", 17)]
    [InlineData("userName eq \"x\")", "Unexpected ')' at position 16", 16)]
    [InlineData("userName eq \"x", "Unterminated string starting at position 13", 13)]
    [InlineData("1bad eq \"x\"", "'1bad' at position 1 is not a valid attribute path", 1)]
    [InlineData("userName eq \"x\" and", "Expected an attribute path", 20)]
    [InlineData("emails[type eq \"work\"", "Expected ']'", 22)]
    public void Parse_Malformed_ReportsPositionAndExpectation(string filter, string expected, int position)
    {
        var error = ParseError(filter);
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidFilter, error.Type);
        Assert.Contains(expected, error.Detail, StringComparison.Ordinal);
        Assert.Contains($"position {position}", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLong_IsInvalidFilter()
    {
        var error = ParseError("userName eq \"" + new string('a', 5000) + "\"");
        Assert.Contains("limit is 4096", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooDeep_IsInvalidFilter()
    {
        var filter = new string('(', 40) + "title pr" + new string(')', 40);
        Assert.Contains("deeper than 32", ParseError(filter).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyTerms_IsInvalidFilter()
    {
        var filter = string.Join(" or ", Enumerable.Range(0, 101).Select(i => $"userName eq \"u{i}\""));
        Assert.Contains("more than 100 comparisons", ParseError(filter).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_IsInvalidFilter(string filter)
    {
        Assert.Equal(ScimErrorType.InvalidFilter, ParseError(filter).Type);
    }

    [Fact]
    public void ToString_PrintsParseableCanonicalForm()
    {
        var node = Parse("userName Eq \"a\\\"b\" OR (title pr AND NOT (emails[type eq \"work\"]))");
        Assert.Equal("userName eq \"a\\\"b\" or title pr and not (emails[type eq \"work\"])", node.ToString());
        Assert.Equal(node, Parse(node.ToString()!));
    }

    [Theory]
    [InlineData("X and Y or Z", "X and Y or Z")]
    [InlineData("X and (Y or Z)", "X and (Y or Z)")]
    [InlineData("(X or Y) and Z", "(X or Y) and Z")]
    [InlineData("X or (Y or Z)", "X or (Y or Z)")]
    [InlineData("X and (Y and Z)", "X and (Y and Z)")]
    [InlineData("((X and Y) and Z)", "X and Y and Z")]
    [InlineData("X or Y and Z", "X or Y and Z")]
    public void ToString_OnlyTheParenthesesTheGrammarNeeds(string shape, string expected)
    {
        static string Terms(string text) => text.Replace("X", "title pr", StringComparison.Ordinal)
            .Replace("Y", "nickName pr", StringComparison.Ordinal).Replace("Z", "locale pr", StringComparison.Ordinal);
        var node = Parse(Terms(shape));
        Assert.Equal(Terms(expected), node.ToString());
        Assert.Equal(node, Parse(node.ToString()!));
    }

    [Fact]
    public void ToString_HundredTermAndChain_ReparsesWithinTheDefaultLimits()
    {
        var filter = string.Join(" and ", Enumerable.Repeat("displayName eq \"a\"", 100));
        var node = Parse(filter);
        var reparsed = FilterParser.Parse(node.ToString(), FilterLimits.Default);
        Assert.True(reparsed.IsSuccess, reparsed.Error?.Detail);
        Assert.Equal(node, reparsed.Value);
    }

    [Fact]
    public void ParsePatchPath_FilterAndSubAttribute_AllParts()
    {
        var result = FilterParser.ParsePatchPath("addresses[type eq \"work\"].streetAddress");
        Assert.True(result.IsSuccess, result.Error?.Detail);
        Assert.Equal("addresses", result.Value.Attribute.Name);
        Assert.IsType<ComparisonFilter>(result.Value.ValueFilter);
        Assert.Equal("streetAddress", result.Value.SubAttribute);
    }

    [Fact]
    public void ParsePatchPath_Garbage_IsInvalidPath()
    {
        var error = Error(FilterParser.ParsePatchPath("emails[type eq]"));
        Assert.Equal(ScimErrorType.InvalidPath, error.Type);
    }

    [Fact]
    public void Parse_SimpleEquality_AllocatesOnlyTheAst()
    {
        // Counted in bytes, not timed: the same on any machine.
        const string filter = "userName eq \"alice@contoso.com\"";
        static FilterNode Ast() => new ComparisonFilter(new AttributePath(null, "userName"), ComparisonOperator.Equal, FilterValue.String(new string('a', 17)));
        for (var i = 0; i < 200; i++)
        {
            FilterParser.Parse(filter);
            Ast();
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            FilterParser.Parse(filter);
        }
        var parsing = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Ast();
        }
        var ast = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ast, parsing);
    }
}
