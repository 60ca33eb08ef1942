using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Resources;

/// <summary>
/// Turns a client's resource body into a <see cref="ScimDocument"/>, applying RFC 7643's attribute rules and the
/// lenient readings real IdPs need: names match case-insensitively; <c>"True"</c>/<c>"false"</c> strings become
/// booleans; <c>null</c> and <c>""</c> mean unassigned; read-only input (<c>id</c>, <c>meta</c>, <c>groups</c>) and
/// unknown attributes or schemas are ignored; a bare string for a complex attribute with a <c>value</c>
/// (Entra ID's <c>manager</c>) becomes <c>{"value": …}</c>; a JSON-encoded string inside <c>roles</c> is decoded.
/// Passwords are never stored. Everything else is kept exactly as sent.
/// </summary>
public static class ResourceValidator
{
    /// <summary>Parses and validates a UTF-8 request body.</summary>
    public static ScimResult<ScimDocument> Validate(
        ReadOnlyMemory<byte> utf8Body,
        ResourceTypeDefinition resourceType,
        ValidationContext context,
        ScimDocument? existing = null,
        ResourceLimits? limits = null)
    {
        limits ??= ResourceLimits.Default;
        var parsed = ScimJson.Parse(utf8Body, limits.MaxJsonDepth);
        if (!parsed.TryGetValue(out var document, out var error))
        {
            return error;
        }
        using (document)
        {
            return Validate(document.RootElement, resourceType, context, existing, limits);
        }
    }

    public static ScimResult<ScimDocument> Validate(
        JsonElement body,
        ResourceTypeDefinition resourceType,
        ValidationContext context,
        ScimDocument? existing = null,
        ResourceLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        limits ??= ResourceLimits.Default;
        var validator = new Walker(limits);
        return ScimResult<ScimDocument>.Run(() => validator.Run(body, resourceType, context, existing));
    }

    /// <summary>
    /// Entra ID's default job PATCHes a role as <c>{"value": "{\"id\":…,\"value\":\"25\",\"displayName\":\"R\"}"}</c>:
    /// the element is JSON-encoded inside <c>value</c>. Decode it (its <c>displayName</c> becomes <c>display</c>).
    /// </summary>
    internal static JsonElement UnwrapEncodedValue(JsonElement element)
    {
        if (!JsonLookup.TryGetProperty(element, "value", out var inner) || inner.ValueKind != JsonValueKind.String
            || DecodeEmbeddedObject(inner) is not { } decoded || !JsonLookup.TryGetProperty(decoded, "value", out _))
        {
            return element;
        }
        var merged = new System.Text.Json.Nodes.JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            if (!property.Name.Equals("value", StringComparison.OrdinalIgnoreCase))
            {
                merged[property.Name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
            }
        }
        foreach (var property in decoded.EnumerateObject())
        {
            var name = property.Name.Equals("displayName", StringComparison.OrdinalIgnoreCase) ? "display" : property.Name;
            merged[name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
        }
        return JsonSerializer.SerializeToElement(merged);
    }

    private static JsonElement? DecodeEmbeddedObject(JsonElement element)
    {
        // Entra ID's default job sends each role as a JSON-encoded string: "{\"id\":…,\"value\":\"25\"}".
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length < 4 || raw[1] != (byte)'{')
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

    private sealed class Walker(ResourceLimits limits)
    {
        public ScimDocument Run(JsonElement body, ResourceTypeDefinition resourceType, ValidationContext context, ScimDocument? existing)
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                throw Syntax($"The resource must be a JSON object, not {Describe(body.ValueKind)}.");
            }
            var layout = ResourceLayout.For(resourceType);
            var slots = new JsonElement[layout.Attributes.Count];
            var extensionSlots = new JsonElement[layout.Extensions.Count];
            foreach (var property in body.EnumerateObject())
            {
                var name = property.Name;
                if (layout.AttributeIndex.TryGetValue(name, out var index))
                {
                    Assign(slots, index, property, layout.Attributes[index].Name);
                }
                else if (layout.ExtensionIndex.TryGetValue(name, out var extension))
                {
                    Assign(extensionSlots, extension, property, layout.Extensions[extension].Id);
                }
                else if (name.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)
                    && AttributePath.TryParse(name) is { SubAttribute: null } path
                    && resourceType.Resolve(path) is { Extension: null, Attribute: { } qualified, SubAttribute: null })
                {
                    // "urn:ietf:params:scim:schemas:core:2.0:User:userName" is the fully qualified core attribute.
                    Assign(slots, layout.AttributeIndex[qualified.Name], property, qualified.Name);
                }
            }

            var buffer = new ArrayBufferWriter<byte>(Math.Max(256, body.ValueKind == JsonValueKind.Object ? 1024 : 0));
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = ScimJson.Encoder }))
            {
                writer.WriteStartObject();
                for (var i = 0; i < slots.Length; i++)
                {
                    var attribute = layout.Attributes[i];
                    var written = WriteTopLevel(writer, attribute, slots[i], parent: null);
                    CheckImmutable(attribute, slots[i], existing?.Root, context, extension: null);
                    if (attribute.Required && !written)
                    {
                        throw Invalid($"The attribute '{attribute.Name}' is required.");
                    }
                }
                for (var e = 0; e < extensionSlots.Length; e++)
                {
                    WriteExtension(writer, layout.Extensions[e], extensionSlots[e], existing?.Root, context);
                }
                writer.WriteEndObject();
            }
            if (buffer.WrittenCount > limits.MaxDocumentBytes)
            {
                throw Invalid($"The resource is {buffer.WrittenCount} bytes after validation; the limit is {limits.MaxDocumentBytes}.");
            }
            return new ScimDocument(resourceType, buffer.WrittenSpan.ToArray());
        }

        private static void Assign(JsonElement[] slots, int index, JsonProperty property, string canonical)
        {
            if (slots[index].ValueKind != JsonValueKind.Undefined)
            {
                throw Syntax($"The attribute '{canonical}' appears more than once (names are case-insensitive).");
            }
            slots[index] = property.Value;
        }

        private void WriteExtension(Utf8JsonWriter writer, SchemaDefinition extension, JsonElement value, JsonElement? existing, ValidationContext context)
        {
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return;
            }
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"The extension '{extension.Id}' must be a JSON object, not {Describe(value.ValueKind)}.");
            }
            var slots = new JsonElement[extension.Attributes.Count];
            foreach (var property in value.EnumerateObject())
            {
                var index = IndexOf(extension.Attributes, property.Name);
                if (index >= 0)
                {
                    Assign(slots, index, property, extension.Attributes[index].Name);
                }
            }
            var any = false;
            for (var i = 0; i < slots.Length; i++)
            {
                any |= WillWrite(extension.Attributes[i], slots[i], extension.Name);
            }
            JsonElement? existingExtension = existing is { } root && JsonLookup.TryGetProperty(root, extension.Id, out var found) ? found : null;
            for (var i = 0; i < slots.Length; i++)
            {
                CheckImmutable(extension.Attributes[i], slots[i], existingExtension, context, extension);
                if (extension.Attributes[i].Required && !WillWrite(extension.Attributes[i], slots[i], extension.Name))
                {
                    throw Invalid($"The attribute '{extension.Id}:{extension.Attributes[i].Name}' is required.");
                }
            }
            if (!any)
            {
                return;
            }
            writer.WritePropertyName(extension.Id);
            writer.WriteStartObject();
            for (var i = 0; i < slots.Length; i++)
            {
                WriteTopLevel(writer, extension.Attributes[i], slots[i], extension.Name);
            }
            writer.WriteEndObject();
        }

        private static int IndexOf(IReadOnlyList<AttributeDefinition> attributes, string name)
        {
            for (var i = 0; i < attributes.Count; i++)
            {
                if (string.Equals(attributes[i].Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
            return -1;
        }

        private bool WriteTopLevel(Utf8JsonWriter writer, AttributeDefinition attribute, JsonElement value, string? parent)
        {
            if (!WillWrite(attribute, value, parent))
            {
                return false;
            }
            writer.WritePropertyName(attribute.Name);
            Write(writer, attribute, value, parent);
            return true;
        }

        private static void CheckImmutable(AttributeDefinition attribute, JsonElement value, JsonElement? existing, ValidationContext context, SchemaDefinition? extension)
        {
            if (attribute.Mutability != Mutability.Immutable || context == ValidationContext.Create || existing is not { } root
                || !JsonLookup.TryGetProperty(root, attribute.Name, out var current) || !JsonLookup.IsAssigned(current))
            {
                return;
            }
            if (!JsonLookup.IsAssigned(value) || !JsonElement.DeepEquals(current, value))
            {
                var name = extension is null ? attribute.Name : $"{extension.Id}:{attribute.Name}";
                throw new ScimException(ScimError.Mutability($"The attribute '{name}' is immutable and already has a value."));
            }
        }

        /// <summary>Validates a value and tells whether it is assigned (so whether it will be written).</summary>
        private bool WillWrite(AttributeDefinition attribute, JsonElement value, string? parent)
        {
            if (attribute.Mutability is Mutability.ReadOnly or Mutability.WriteOnly || value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return false;
            }
            if (!attribute.MultiValued)
            {
                return WillWriteSingle(attribute, value, parent);
            }
            if (value.ValueKind != JsonValueKind.Array)
            {
                // A lone value where an array belongs: read it as an array of one.
                return WillWriteElement(attribute, value, parent);
            }
            var count = value.GetArrayLength();
            if (count > limits.MaxValues)
            {
                throw Invalid($"The attribute '{Name(attribute, parent)}' has {count} values; the limit is {limits.MaxValues}.");
            }
            var any = false;
            var primaries = 0;
            foreach (var element in value.EnumerateArray())
            {
                if (WillWriteElement(attribute, element, parent))
                {
                    any = true;
                    if (attribute.IsComplex && IsPrimary(attribute, element))
                    {
                        primaries++;
                    }
                }
            }
            if (primaries > 1)
            {
                throw Invalid($"At most one value of '{Name(attribute, parent)}' may have primary set to true; {primaries} do.");
            }
            return any;
        }

        private bool WillWriteElement(AttributeDefinition attribute, JsonElement element, string? parent)
        {
            if (!attribute.IsComplex)
            {
                return WillWriteSingle(attribute, element, parent);
            }
            return element.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => false,
                JsonValueKind.Object => WillWriteComplex(attribute, UnwrapEncodedValue(element), parent),
                JsonValueKind.String when DecodeEmbeddedObject(element) is { } decoded => WillWriteComplex(attribute, decoded, parent),
                _ => attribute.FindSubAttribute("value") is { } valueAttribute
                    ? WillWriteSingle(valueAttribute, element, Name(attribute, parent))
                    : throw Invalid($"Each value of '{Name(attribute, parent)}' must be a JSON object, not {Describe(element.ValueKind)}."),
            };
        }

        private bool WillWriteSingle(AttributeDefinition attribute, JsonElement value, string? parent)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    return false;
                case JsonValueKind.String when IsEmptyString(value):
                    return false;
            }
            switch (attribute.Type)
            {
                case AttributeType.Complex:
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        return WillWriteComplex(attribute, value, parent);
                    }
                    if (value.ValueKind == JsonValueKind.String && attribute.FindSubAttribute("value") is { } valueAttribute)
                    {
                        return WillWriteSingle(valueAttribute, value, Name(attribute, parent));
                    }
                    throw Invalid($"The attribute '{Name(attribute, parent)}' must be a JSON object, not {Describe(value.ValueKind)}.");
                case AttributeType.Boolean:
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False || ParseBooleanString(value) is not null)
                    {
                        return true;
                    }
                    throw Invalid($"The attribute '{Name(attribute, parent)}' must be a boolean (true or false), not {Show(value)}.");
                case AttributeType.Integer:
                    if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _))
                    {
                        return true;
                    }
                    throw Invalid($"The attribute '{Name(attribute, parent)}' must be an integer, not {Show(value)}.");
                case AttributeType.Decimal:
                    if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out _))
                    {
                        return true;
                    }
                    throw Invalid($"The attribute '{Name(attribute, parent)}' must be a decimal number, not {Show(value)}.");
                case AttributeType.DateTime:
                    if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _))
                    {
                        return CheckLength(attribute, value, parent);
                    }
                    throw Invalid($"The attribute '{Name(attribute, parent)}' must be an xsd:dateTime such as \"2024-05-13T04:42:34Z\", not {Show(value)}.");
                case AttributeType.Binary:
                    if (value.ValueKind == JsonValueKind.String && CheckLength(attribute, value, parent) && IsBase64(value))
                    {
                        return true;
                    }
                    throw Invalid($"The attribute '{Name(attribute, parent)}' must be base64-encoded binary, not {Show(value)}.");
                default:
                    if (value.ValueKind == JsonValueKind.String)
                    {
                        return CheckLength(attribute, value, parent);
                    }
                    throw Invalid($"The attribute '{Name(attribute, parent)}' must be a string, not {Show(value)}.");
            }
        }

        private bool WillWriteComplex(AttributeDefinition attribute, JsonElement value, string? parent)
        {
            var any = false;
            var name = Name(attribute, parent);
            foreach (var property in value.EnumerateObject())
            {
                if (attribute.FindSubAttribute(property.Name) is { } sub)
                {
                    any |= WillWrite(sub, property.Value, name);
                }
            }
            return any;
        }

        private bool CheckLength(AttributeDefinition attribute, JsonElement value, string? parent)
        {
            var raw = JsonMarshal.GetRawUtf8Value(value).Length - 2;
            if (raw > limits.MaxStringBytes)
            {
                throw Invalid($"The attribute '{Name(attribute, parent)}' is {raw} bytes long; the limit is {limits.MaxStringBytes}.");
            }
            return true;
        }

        private void Write(Utf8JsonWriter writer, AttributeDefinition attribute, JsonElement value, string? parent)
        {
            if (!attribute.MultiValued)
            {
                WriteSingle(writer, attribute, value, parent);
                return;
            }
            writer.WriteStartArray();
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in value.EnumerateArray())
                {
                    if (WillWriteElement(attribute, element, parent))
                    {
                        WriteElement(writer, attribute, element, parent);
                    }
                }
            }
            else
            {
                WriteElement(writer, attribute, value, parent);
            }
            writer.WriteEndArray();
        }

        private void WriteElement(Utf8JsonWriter writer, AttributeDefinition attribute, JsonElement element, string? parent)
        {
            if (!attribute.IsComplex)
            {
                WriteSingle(writer, attribute, element, parent);
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                WriteComplex(writer, attribute, UnwrapEncodedValue(element), parent);
            }
            else if (element.ValueKind == JsonValueKind.String && DecodeEmbeddedObject(element) is { } decoded)
            {
                WriteComplex(writer, attribute, decoded, parent);
            }
            else
            {
                writer.WriteStartObject();
                writer.WritePropertyName("value");
                element.WriteTo(writer);
                writer.WriteEndObject();
            }
        }

        private void WriteSingle(Utf8JsonWriter writer, AttributeDefinition attribute, JsonElement value, string? parent)
        {
            switch (attribute.Type)
            {
                case AttributeType.Complex when value.ValueKind == JsonValueKind.Object:
                    WriteComplex(writer, attribute, value, parent);
                    break;
                case AttributeType.Complex:
                    // Entra ID sends manager as a bare id; it must read back as {"value": id}.
                    writer.WriteStartObject();
                    writer.WritePropertyName("value");
                    value.WriteTo(writer);
                    writer.WriteEndObject();
                    break;
                case AttributeType.Boolean when value.ValueKind == JsonValueKind.String:
                    writer.WriteBooleanValue(ParseBooleanString(value)!.Value);
                    break;
                default:
                    value.WriteTo(writer);
                    break;
            }
        }

        private void WriteComplex(Utf8JsonWriter writer, AttributeDefinition attribute, JsonElement value, string? parent)
        {
            var name = Name(attribute, parent);
            writer.WriteStartObject();
            // Sub-attributes in schema order, each once: a later duplicate (names differ only in case) is an error.
            foreach (var sub in attribute.SubAttributes)
            {
                JsonElement found = default;
                foreach (var property in value.EnumerateObject())
                {
                    if (string.Equals(property.Name, sub.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        if (found.ValueKind != JsonValueKind.Undefined)
                        {
                            throw Syntax($"The attribute '{name}.{sub.Name}' appears more than once (names are case-insensitive).");
                        }
                        found = property.Value;
                    }
                }
                WriteTopLevel(writer, sub, found, name);
            }
            writer.WriteEndObject();
        }

        private static bool IsPrimary(AttributeDefinition attribute, JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.String && DecodeEmbeddedObject(element) is { } decoded)
            {
                element = decoded;
            }
            element = UnwrapEncodedValue(element);
            if (element.ValueKind != JsonValueKind.Object || attribute.FindSubAttribute("primary") is null)
            {
                return false;
            }
            return JsonLookup.TryGetProperty(element, "primary", out var primary)
                && (primary.ValueKind == JsonValueKind.True || (primary.ValueKind == JsonValueKind.String && ParseBooleanString(primary) == true));
        }

        private static bool IsEmptyString(JsonElement value) => JsonMarshal.GetRawUtf8Value(value).Length == 2;

        private static bool? ParseBooleanString(JsonElement value)
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

        private static bool IsBase64(JsonElement value)
        {
            var text = value.GetString()!;
            return System.Buffers.Text.Base64.IsValid(text);
        }

        private static string Name(AttributeDefinition attribute, string? parent) =>
            parent is null ? attribute.Name : $"{parent}.{attribute.Name}";

        private static string Show(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => $"the string {Truncate(value.GetRawText())}",
            JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
            _ => Describe(value.ValueKind),
        };

        private static string Truncate(string text) => text.Length <= 60 ? text : $"{text[..60]}…";

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };

        private static ScimException Invalid(string detail) => new(ScimError.InvalidValue(detail));

        private static ScimException Syntax(string detail) => new(ScimError.InvalidSyntax(detail));
    }
}
