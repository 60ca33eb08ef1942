using RfpioGateway.Scim.Errors;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// Splits a filter into words, JSON strings and punctuation. A word is any run of characters other than
/// whitespace, quotes, parentheses and brackets: the parser decides whether it is a keyword, a path or a value.
/// </summary>
internal ref struct FilterLexer(ReadOnlySpan<char> source)
{
    private readonly ReadOnlySpan<char> _source = source;
    private int _position;

    public readonly ReadOnlySpan<char> Source => _source;

    public FilterToken Next()
    {
        while (_position < _source.Length && char.IsWhiteSpace(_source[_position]))
        {
            _position++;
        }
        if (_position >= _source.Length)
        {
            return new FilterToken(FilterTokenKind.End, _source.Length, 0);
        }

        var start = _position;
        var c = _source[_position];
        switch (c)
        {
            case '(':
                _position++;
                return new FilterToken(FilterTokenKind.OpenParen, start, 1);
            case ')':
                _position++;
                return new FilterToken(FilterTokenKind.CloseParen, start, 1);
            case '[':
                _position++;
                return new FilterToken(FilterTokenKind.OpenBracket, start, 1);
            case ']':
                _position++;
                return new FilterToken(FilterTokenKind.CloseBracket, start, 1);
            case '.':
                _position++;
                return new FilterToken(FilterTokenKind.Dot, start, 1);
            case '"':
                return ReadString(start);
            default:
                while (_position < _source.Length && !IsDelimiter(_source[_position]))
                {
                    _position++;
                }
                return new FilterToken(FilterTokenKind.Word, start, _position - start);
        }
    }

    public readonly ReadOnlySpan<char> Text(FilterToken token) => _source.Slice(token.Start, token.Length);

    private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || c is '(' or ')' or '[' or ']' or '"';

    private FilterToken ReadString(int start)
    {
        _position++;
        var escapes = false;
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (c == '\\')
            {
                escapes = true;
                _position += 2;
                continue;
            }
            _position++;
            if (c == '"')
            {
                return new FilterToken(FilterTokenKind.String, start, _position - start, escapes);
            }
        }
        throw new ScimException(ScimError.InvalidFilter(
            $"Unterminated string starting at position {start + 1}: a closing '\"' was expected."));
    }
}
