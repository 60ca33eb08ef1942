using System.Text.Encodings.Web;
using System.Text.Json;

namespace RfpioGateway.Scim.Filtering;

internal static class FilterJson
{
    // Printing must round-trip through our own lexer, which decodes every JSON escape; relaxed escaping keeps
    // non-ASCII readable.
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
