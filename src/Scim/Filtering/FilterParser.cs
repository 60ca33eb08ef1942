using System.Globalization;
using System.Text.Json;
using RfpioGateway.Scim.Errors;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// Recursive-descent parser for RFC 7644 §3.4.2.2 filters and §3.5.2 PATCH paths.
/// Precedence: <c>not</c> binds tighter than <c>and</c>, which binds tighter than <c>or</c>; keywords,
/// operators and attribute names are case-insensitive. Errors carry a 1-based position.
/// </summary>
public static class FilterParser
{
    public static ScimResult<FilterNode> Parse(string? filter, FilterLimits? limits = null)
    {
        // No lambda here: parsing "userName eq \"x\"" should allocate the AST and nothing else.
        try
        {
            return ScimResult<FilterNode>.Success(ParseOrThrow(filter, limits ?? FilterLimits.Default));
        }
        catch (ScimException e)
        {
            return e.Error;
        }
    }

    /// <summary>Parses a PATCH <c>path</c>: <c>attrPath</c>, <c>attrPath[valFilter]</c> or <c>attrPath[valFilter].subAttr</c>.</summary>
    public static ScimResult<PatchPath> ParsePatchPath(string? path, FilterLimits? limits = null) =>
        ScimResult<PatchPath>.Run(() => ParsePatchPathOrThrow(path, limits ?? FilterLimits.Default));

    public static string OperatorKeyword(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "eq",
        ComparisonOperator.NotEqual => "ne",
        ComparisonOperator.Contains => "co",
        ComparisonOperator.StartsWith => "sw",
        ComparisonOperator.EndsWith => "ew",
        ComparisonOperator.GreaterThan => "gt",
        ComparisonOperator.GreaterThanOrEqual => "ge",
        ComparisonOperator.LessThan => "lt",
        ComparisonOperator.LessThanOrEqual => "le",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    internal static FilterNode ParseOrThrow(string? filter, FilterLimits limits)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            throw Error("The filter is empty.");
        }
        if (filter.Length > limits.MaxLength)
        {
            throw Error($"The filter is {filter.Length} characters long; the limit is {limits.MaxLength}.");
        }
        var parser = new Parser(filter, limits);
        var node = parser.ParseFilter(depth: 0, inValuePath: false);
        parser.ExpectEnd();
        return node;
    }

    internal static PatchPath ParsePatchPathOrThrow(string? path, FilterLimits limits)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ScimException(ScimError.InvalidPath("The PATCH path is empty."));
        }
        if (path.Length > limits.MaxLength)
        {
            throw new ScimException(ScimError.InvalidPath($"The PATCH path is {path.Length} characters long; the limit is {limits.MaxLength}."));
        }
        try
        {
            var parser = new Parser(path, limits);
            return parser.ParsePatchPath();
        }
        catch (ScimException e) when (e.Error.Type == ScimErrorType.InvalidFilter)
        {
            throw new ScimException(ScimError.InvalidPath($"Invalid PATCH path '{path}': {e.Error.Detail}"));
        }
    }

    private static ScimException Error(string detail) => new(ScimError.InvalidFilter(detail));

    private ref struct Parser(string source, FilterLimits limits)
    {
        private FilterLexer _lexer = new(source);
        private FilterToken _current;
        private bool _hasCurrent;
        private int _terms;

        public PatchPath ParsePatchPath()
        {
            var pathToken = Expect(FilterTokenKind.Word, "an attribute path");
            var attribute = ToPath(pathToken);
            FilterNode? valueFilter = null;
            string? sub = null;
            if (Peek().Kind == FilterTokenKind.OpenBracket)
            {
                if (attribute.SubAttribute is not null)
                {
                    throw Error($"A value filter cannot follow the sub-attribute '{attribute}' (position {pathToken.Start + pathToken.Length + 1}).");
                }
                Advance();
                valueFilter = ParseFilter(depth: 1, inValuePath: true);
                Expect(FilterTokenKind.CloseBracket, "']'");
                if (Peek().Kind == FilterTokenKind.Dot)
                {
                    Advance();
                    var subToken = Expect(FilterTokenKind.Word, "a sub-attribute name after '.'");
                    var subText = _lexer.Text(subToken);
                    if (!AttributePath.IsValidName(subText))
                    {
                        throw Error($"'{subText}' at position {subToken.Start + 1} is not a valid sub-attribute name.");
                    }
                    sub = KnownNames.Intern(subText);
                }
            }
            ExpectEnd();
            return new PatchPath(attribute, valueFilter, sub);
        }

        public FilterNode ParseFilter(int depth, bool inValuePath)
        {
            var left = ParseAnd(depth, inValuePath);
            while (IsKeyword(Peek(), "or"))
            {
                Advance();
                left = new LogicalFilter(LogicalOperator.Or, left, ParseAnd(depth, inValuePath));
            }
            return left;
        }

        public void ExpectEnd()
        {
            var token = Peek();
            if (token.Kind != FilterTokenKind.End)
            {
                throw Error($"Unexpected '{Describe(token)}' at position {token.Start + 1}: expected 'and', 'or' or the end of the filter.");
            }
        }

        private FilterNode ParseAnd(int depth, bool inValuePath)
        {
            var left = ParseUnary(depth, inValuePath);
            while (IsKeyword(Peek(), "and"))
            {
                Advance();
                left = new LogicalFilter(LogicalOperator.And, left, ParseUnary(depth, inValuePath));
            }
            return left;
        }

        private FilterNode ParseUnary(int depth, bool inValuePath)
        {
            if (depth > limits.MaxDepth)
            {
                throw Error($"The filter nests deeper than {limits.MaxDepth} levels.");
            }
            var token = Peek();
            if (IsKeyword(token, "not"))
            {
                Advance();
                Expect(FilterTokenKind.OpenParen, "'(' after 'not'");
                var inner = ParseFilter(depth + 1, inValuePath);
                Expect(FilterTokenKind.CloseParen, "')'");
                return new NotFilter(inner);
            }
            if (token.Kind == FilterTokenKind.OpenParen)
            {
                Advance();
                var inner = ParseFilter(depth + 1, inValuePath);
                Expect(FilterTokenKind.CloseParen, "')'");
                return inner;
            }

            var pathToken = Expect(FilterTokenKind.Word, "an attribute path, '(' or 'not'");
            var path = ToPath(pathToken);
            if (Peek().Kind == FilterTokenKind.OpenBracket)
            {
                if (inValuePath)
                {
                    throw Error($"Value filters cannot be nested (position {Peek().Start + 1}).");
                }
                if (path.SubAttribute is not null)
                {
                    throw Error($"A value filter cannot follow the sub-attribute '{path}' (position {Peek().Start + 1}).");
                }
                Advance();
                var inner = ParseFilter(depth + 1, inValuePath: true);
                Expect(FilterTokenKind.CloseBracket, "']'");
                return new ValuePathFilter(path, inner);
            }

            if (++_terms > limits.MaxTerms)
            {
                throw Error($"The filter has more than {limits.MaxTerms} comparisons.");
            }
            var opToken = Advance();
            if (opToken.Kind != FilterTokenKind.Word)
            {
                // Built only on failure: the message formats the path.
                throw Error($"Expected an operator after '{path}' at position {opToken.Start + 1}, found '{Describe(opToken)}'.");
            }
            var op = _lexer.Text(opToken);
            if (op.Equals("pr", StringComparison.OrdinalIgnoreCase))
            {
                return new PresentFilter(path);
            }
            var comparison = ParseOperator(op)
                ?? throw Error($"'{op}' at position {opToken.Start + 1} is not an operator: expected one of eq, ne, co, sw, ew, gt, ge, lt, le, pr.");
            return new ComparisonFilter(path, comparison, ParseValue());
        }

        private FilterValue ParseValue()
        {
            var token = Advance();
            switch (token.Kind)
            {
                case FilterTokenKind.String:
                    return FilterValue.String(DecodeString(token));
                case FilterTokenKind.Word:
                    var text = _lexer.Text(token);
                    if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
                    {
                        return FilterValue.True;
                    }
                    if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
                    {
                        return FilterValue.False;
                    }
                    if (text.Equals("null", StringComparison.OrdinalIgnoreCase))
                    {
                        return FilterValue.Null;
                    }
                    if (IsJsonNumber(text))
                    {
                        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                        {
                            throw Error($"The number '{Shorten(text)}' at position {token.Start + 1} is out of range.");
                        }
                        return FilterValue.Number(number);
                    }
                    // Legacy Entra ID examples send unquoted strings: "externalId eq jyoung".
                    return FilterValue.String(text.ToString());
                default:
                    throw Error($"Expected a value (a quoted string, number, true, false or null) at position {token.Start + 1}, found '{Describe(token)}'.");
            }
        }

        private readonly string DecodeString(FilterToken token)
        {
            var raw = _lexer.Text(token);
            if (!token.HasEscapes)
            {
                return raw[1..^1].ToString();
            }
            try
            {
                return JsonSerializer.Deserialize<string>(raw) ?? "";
            }
            catch (JsonException)
            {
                throw Error($"The string at position {token.Start + 1} has an invalid escape sequence.");
            }
        }

        private AttributePath ToPath(FilterToken token)
        {
            var text = _lexer.Text(token);
            if (IsOperatorKeyword(text))
            {
                throw Error($"Expected an attribute path at position {token.Start + 1}, found the keyword '{text}'.");
            }
            return AttributePath.TryParse(text)
                ?? throw Error($"'{Shorten(text)}' at position {token.Start + 1} is not a valid attribute path.");
        }

        private FilterToken Peek()
        {
            if (!_hasCurrent)
            {
                _current = _lexer.Next();
                _hasCurrent = true;
            }
            return _current;
        }

        private FilterToken Advance()
        {
            var token = Peek();
            _hasCurrent = false;
            return token;
        }

        private FilterToken Expect(FilterTokenKind kind, string what)
        {
            var token = Advance();
            if (token.Kind != kind)
            {
                throw Error($"Expected {what} at position {token.Start + 1}, found '{Describe(token)}'.");
            }
            return token;
        }

        private readonly bool IsKeyword(FilterToken token, string keyword) =>
            token.Kind == FilterTokenKind.Word && _lexer.Text(token).Equals(keyword, StringComparison.OrdinalIgnoreCase);

        private readonly string Describe(FilterToken token) =>
            token.Kind == FilterTokenKind.End ? "end of filter" : Shorten(_lexer.Text(token));

        private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : $"{text[..40]}…";

        private static bool IsOperatorKeyword(ReadOnlySpan<char> text) =>
            text.Equals("and", StringComparison.OrdinalIgnoreCase) || text.Equals("or", StringComparison.OrdinalIgnoreCase);

        private static ComparisonOperator? ParseOperator(ReadOnlySpan<char> op)
        {
            if (op.Length != 2)
            {
                return null;
            }
            Span<char> lower = stackalloc char[2];
            op.ToLowerInvariant(lower);
            return lower switch
            {
                "eq" => ComparisonOperator.Equal,
                "ne" => ComparisonOperator.NotEqual,
                "co" => ComparisonOperator.Contains,
                "sw" => ComparisonOperator.StartsWith,
                "ew" => ComparisonOperator.EndsWith,
                "gt" => ComparisonOperator.GreaterThan,
                "ge" => ComparisonOperator.GreaterThanOrEqual,
                "lt" => ComparisonOperator.LessThan,
                "le" => ComparisonOperator.LessThanOrEqual,
                _ => null,
            };
        }

        /// <summary>JSON number grammar: <c>-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?</c>.</summary>
        private static bool IsJsonNumber(ReadOnlySpan<char> text)
        {
            var i = 0;
            if (i < text.Length && text[i] == '-')
            {
                i++;
            }
            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
            {
                return false;
            }
            if (text[i] == '0')
            {
                i++;
            }
            else
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
            if (i < text.Length && text[i] == '.')
            {
                i++;
                var digits = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
                if (i == digits)
                {
                    return false;
                }
            }
            if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
            {
                i++;
                if (i < text.Length && (text[i] == '+' || text[i] == '-'))
                {
                    i++;
                }
                var digits = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
                if (i == digits)
                {
                    return false;
                }
            }
            return i == text.Length;
        }
    }
}
