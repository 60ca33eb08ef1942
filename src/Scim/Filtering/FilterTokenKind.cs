namespace RfpioGateway.Scim.Filtering;

internal enum FilterTokenKind
{
    End,
    Word,
    String,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Dot,
}
