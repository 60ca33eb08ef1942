using System.Text.Json;

namespace RfpioGateway.Scim.Json;

/// <summary>Case-insensitive property access (RFC 7643 §2.1), fast when the document uses the schema's casing.</summary>
internal static class JsonLookup
{
    public static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            value = default;
            return false;
        }
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals(name) || string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>True when the value counts as assigned: not null, not "", not an empty array or object.</summary>
    public static bool IsAssigned(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => false,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(p => IsAssigned(p.Value)),
        _ => true,
    };
}
