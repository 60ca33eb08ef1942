using System.Text.Encodings.Web;
using System.Text.Json;
using RfpioGateway.Scim.Errors;

namespace RfpioGateway.Scim.Json;

/// <summary>Parsing of request bodies into SCIM errors rather than exceptions, and the writer settings we emit with.</summary>
public static class ScimJson
{
    /// <summary>Keeps non-ASCII text readable in responses; HTML-sensitive characters are still escaped.</summary>
    public static JavaScriptEncoder Encoder { get; } = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>
    /// Parses a UTF-8 body. Malformed JSON, invalid UTF-8, trailing content and nesting deeper than
    /// <paramref name="maxDepth"/> all become 400 <c>invalidSyntax</c>, with the reader's position where it has one.
    /// </summary>
    public static ScimResult<JsonDocument> Parse(ReadOnlyMemory<byte> utf8Body, int maxDepth = 32)
    {
        if (utf8Body.IsEmpty)
        {
            return ScimError.InvalidSyntax("The request body is empty; a JSON object was expected.");
        }
        // JsonDocument checks UTF-8 only when a string is read; checking up front keeps every later read safe.
        if (!System.Text.Unicode.Utf8.IsValid(utf8Body.Span))
        {
            return ScimError.InvalidSyntax("The request body is not valid UTF-8.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            return ScimError.InvalidSyntax(Describe(e));
        }
        // "\ud800" is valid JSON syntax but not a string .NET can read; find it now rather than on first read.
        if (utf8Body.Span.IndexOf("\\u"u8) >= 0 && FindUnreadableEscape(utf8Body.Span, maxDepth) is { } position)
        {
            document.Dispose();
            return ScimError.InvalidSyntax($"The request body has an escaped lone surrogate (byte {position + 1}); strings must be valid Unicode.");
        }
        return ScimResult<JsonDocument>.Success(document);
    }

    private static long? FindUnreadableEscape(ReadOnlySpan<byte> utf8Body, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8Body, new JsonReaderOptions { MaxDepth = maxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex;
                }
            }
        }
        return null;
    }

    internal static string Describe(JsonException e)
    {
        var where = e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? $" (line {line + 1}, byte {column + 1})"
            : "";
        // The exception message repeats the position and names internal types; keep its first sentence only.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        return $"The request body is not valid JSON{where}: {message}";
    }
}
