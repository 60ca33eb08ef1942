using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RfpioGateway.Scim.Json;

namespace RfpioGateway.Scim.Dialects;

/// <summary>
/// Every reading of a value that only a real IdP's habits justify, in one place, so validation (POST/PUT) and PATCH
/// accept exactly the same things. Sources: ../shared/reference/entra-scim-client.md.
/// <list type="bullet">
/// <item>Booleans as strings, any case: Entra ID sends <c>"active": "False"</c> from a string-typed mapping.</item>
/// <item>A complex value JSON-encoded inside a string: Entra ID's default job sends each role as
/// <c>"{\"id\":…,\"value\":\"25\"}"</c>.</item>
/// <item>That same encoded element wrapped once more in <c>value</c>, as Entra ID PATCHes roles:
/// <c>{"value": "{\"id\":…,\"value\":\"25\",\"displayName\":\"R\"}"}</c>, whose <c>displayName</c> means <c>display</c>.</item>
/// </list>
/// </summary>
internal static class IdpDialects
{
    /// <summary><c>true</c>/<c>false</c> in any case inside a JSON string, or null for anything else.</summary>
    public static bool? BooleanString(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var text = raw[1..^1];
        if (Ascii.EqualsIgnoreCase(text, "true"u8))
        {
            return true;
        }
        return Ascii.EqualsIgnoreCase(text, "false"u8) ? false : null;
    }

    /// <inheritdoc cref="BooleanString(JsonElement)"/>
    public static bool? BooleanString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return text.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : null;
    }

    /// <summary>The object a JSON string holds JSON-encoded, or null when it holds anything else.</summary>
    public static JsonElement? EmbeddedObject(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (element.ValueKind != JsonValueKind.String || raw.Length < 4 || raw[1] != (byte)'{')
        {
            return null;
        }
        try
        {
            var decoded = JsonSerializer.Deserialize<JsonElement>(element.GetString()!);
            return decoded.ValueKind == JsonValueKind.Object ? decoded : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc cref="EmbeddedObject(JsonElement)"/>
    public static JsonObject? EmbeddedObject(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith('{'))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The element with an encoded element in its <c>value</c> decoded into it, or the element unchanged.</summary>
    public static JsonElement UnwrapEncodedValue(JsonElement element) =>
        TryUnwrapEncodedValue(element, out var unwrapped) ? unwrapped : element;

    public static bool TryUnwrapEncodedValue(JsonElement element, out JsonElement unwrapped)
    {
        unwrapped = element;
        if (!JsonLookup.TryGetProperty(element, "value", out var inner) || inner.ValueKind != JsonValueKind.String
            || EmbeddedObject(inner) is not { } decoded
            || !JsonLookup.TryGetProperty(decoded, "value", out var decodedValue) || !JsonLookup.IsAssigned(decodedValue))
        {
            return false;
        }
        var merged = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            if (!property.Name.Equals("value", StringComparison.OrdinalIgnoreCase))
            {
                merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }
        foreach (var property in decoded.EnumerateObject())
        {
            var name = property.Name.Equals("displayName", StringComparison.OrdinalIgnoreCase) ? "display" : property.Name;
            merged[name] = JsonNode.Parse(property.Value.GetRawText());
        }
        unwrapped = JsonSerializer.SerializeToElement(merged);
        return true;
    }
}
