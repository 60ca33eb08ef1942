// One file on purpose (~600 lines): a single Walker does the whole validation in one pass over per-thread buffers,
// and its steps share those buffers and slot arrays; split across files it would read as several state machines.
using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RfpioGateway.Scim.Dialects;
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
        // One walker per thread: its buffers are reused, so validating allocates little beyond the result.
        var walker = t_walker ??= new Walker();
        try
        {
            return ScimResult<ScimDocument>.Success(walker.Run(body, resourceType, context, existing, limits));
        }
        catch (ScimException e)
        {
            return e.Error;
        }
    }

    /// <summary>
    /// One validation. Each value is first asked whether it is assigned (a cheap scan that validates nothing), then
    /// validated while it is written; so a value is read at most twice and nothing is written for unassigned ones.
    /// </summary>
    [ThreadStatic]
    private static Walker? t_walker;

    // The writer lives as long as its thread and holds only managed buffers: nothing to dispose.
#pragma warning disable CA1001
    private sealed class Walker
#pragma warning restore CA1001
    {
        private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");

        // Sub-attribute values of the complex value being written; complex values never nest, so one buffer serves.
        private readonly JsonElement[] _subSlots = new JsonElement[16];
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private readonly Utf8JsonWriter _writer;
        private JsonElement[] _slots = new JsonElement[32];
        private ResourceLimits _limits = ResourceLimits.Default;

        public Walker() =>
            _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true, Encoder = ScimJson.Encoder });

        /// <summary>What a client may send as <c>schemas</c>: a list of URIs, or nothing (it is not stored either way).</summary>
        private static bool IsSchemaList(JsonElement value) =>
            value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String));

        public ScimDocument Run(JsonElement body, ResourceTypeDefinition resourceType, ValidationContext context, ScimDocument? existing, ResourceLimits limits)
        {
            _limits = limits;
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            if (body.ValueKind != JsonValueKind.Object)
            {
                throw Syntax($"The resource must be a JSON object, not {Describe(body.ValueKind)}.");
            }
            var layout = ResourceLayout.For(resourceType);
            if (_slots.Length < layout.Attributes.Count)
            {
                _slots = new JsonElement[layout.Attributes.Count];
            }
            var slots = _slots.AsSpan(0, layout.Attributes.Count);
            slots.Clear();
            var extensionSlots = new JsonElement[layout.Extensions.Count];
            foreach (var property in body.EnumerateObject())
            {
                if (Ascii.EqualsIgnoreCase(JsonMarshal.GetRawUtf8PropertyName(property), "schemas"u8)
                    && !IsSchemaList(property.Value))
                {
                    throw Syntax($"'schemas' must be an array of schema URIs, not {Describe(property.Value.ValueKind)}.");
                }
                if (layout.Names.TryFind(property, out var index))
                {
                    Assign(slots, index, property.Value, layout.Attributes[index].Name);
                }
                else if (layout.ExtensionNames.TryFind(property, out var extension))
                {
                    Assign(extensionSlots, extension, property.Value, layout.Extensions[extension].Id);
                }
                else if (property.Name.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)
                    && AttributePath.TryParse(property.Name) is { SubAttribute: null } path
                    && resourceType.Resolve(path) is { Extension: null, Attribute: { } qualified, SubAttribute: null }
                    && layout.Names.TryFind(qualified.Name, out var qualifiedIndex))
                {
                    // "urn:ietf:params:scim:schemas:core:2.0:User:userName" is the fully qualified core attribute.
                    Assign(slots, qualifiedIndex, property.Value, qualified.Name);
                }
                else if (property.Value.ValueKind == JsonValueKind.Object
                    && property.Name.Equals(resourceType.Schema.Id, StringComparison.OrdinalIgnoreCase))
                {
                    // RFC 7644 §3.10: the core schema's URN used as a container, as extensions are.
                    foreach (var member in property.Value.EnumerateObject())
                    {
                        if (layout.Names.TryFind(member, out var memberIndex))
                        {
                            Assign(slots, memberIndex, member.Value, layout.Attributes[memberIndex].Name);
                        }
                    }
                }
            }

            var buffer = _buffer;
            string? userName = null, externalId = null, displayName = null;
            bool? active = null;
            var writer = _writer;
            {
                writer.WriteStartObject();
                for (var i = 0; i < slots.Length; i++)
                {
                    var attribute = layout.Attributes[i];
                    CheckImmutable(attribute, slots[i], existing, context, extension: null);
                    if (!WriteMember(writer, attribute, layout.Names.Encoded[i], slots[i], parent: null))
                    {
                        continue;
                    }
                    switch (attribute.Name)
                    {
                        case "userName": userName = slots[i].GetString(); break;
                        case "externalId": externalId = slots[i].GetString(); break;
                        case "displayName": displayName = slots[i].GetString(); break;
                        case "active": active = slots[i].ValueKind == JsonValueKind.String ? IdpDialects.BooleanString(slots[i]) : slots[i].GetBoolean(); break;
                    }
                }
                for (var e = 0; e < extensionSlots.Length; e++)
                {
                    WriteExtension(writer, layout.Extensions[e], layout.ExtensionNames.Encoded[e], layout.ExtensionAttributeNames[e], extensionSlots[e], existing, context);
                }
                writer.WriteEndObject();
                writer.Flush();
            }
            if (buffer.WrittenCount > limits.MaxDocumentBytes)
            {
                throw Invalid($"The resource is {buffer.WrittenCount} bytes after validation; the limit is {limits.MaxDocumentBytes}.");
            }
            return new ScimDocument(resourceType, buffer.WrittenSpan.ToArray(), userName, externalId, displayName, active);
        }

        private static void Assign(Span<JsonElement> slots, int index, JsonElement value, string canonical)
        {
            if (slots[index].ValueKind != JsonValueKind.Undefined)
            {
                throw Syntax($"The attribute '{canonical}' appears more than once (names are case-insensitive).");
            }
            slots[index] = value;
        }

        private void WriteExtension(Utf8JsonWriter writer, SchemaDefinition extension, JsonEncodedText encodedId, NameIndex names,
            JsonElement value, ScimDocument? existing, ValidationContext context)
        {
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                value = default;
            }
            else if (value.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"The extension '{extension.Id}' must be a JSON object, not {Describe(value.ValueKind)}.");
            }
            var slots = new JsonElement[extension.Attributes.Count];
            if (value.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in value.EnumerateObject())
                {
                    if (names.TryFind(property, out var index))
                    {
                        Assign(slots, index, property.Value, extension.Attributes[index].Name);
                    }
                }
            }
            var any = false;
            for (var i = 0; i < slots.Length; i++)
            {
                var attribute = extension.Attributes[i];
                CheckImmutable(attribute, slots[i], existing, context, extension);
                var assigned = IsWritable(attribute) && IsAssigned(attribute, slots[i]);
                if (attribute.Required && !assigned)
                {
                    throw Invalid($"The attribute '{extension.Id}:{attribute.Name}' is required.");
                }
                any |= assigned;
            }
            if (!any)
            {
                return;
            }
            writer.WritePropertyName(encodedId);
            writer.WriteStartObject();
            for (var i = 0; i < slots.Length; i++)
            {
                WriteMember(writer, extension.Attributes[i], names.Encoded[i], slots[i], extension.Name);
            }
            writer.WriteEndObject();
        }

        private static void CheckImmutable(AttributeDefinition attribute, JsonElement value, ScimDocument? existing, ValidationContext context, SchemaDefinition? extension)
        {
            if (attribute.Mutability != Mutability.Immutable || context == ValidationContext.Create || existing is null)
            {
                return;
            }
            var root = existing.Root;
            if (extension is not null && !JsonLookup.TryGetProperty(root, extension.Id, out root))
            {
                return;
            }
            if (!JsonLookup.TryGetProperty(root, attribute.Name, out var current) || !JsonLookup.IsAssigned(current))
            {
                return;
            }
            if (!JsonLookup.IsAssigned(value) || !JsonElement.DeepEquals(current, value))
            {
                var name = extension is null ? attribute.Name : $"{extension.Id}:{attribute.Name}";
                throw new ScimException(ScimError.Mutability($"The attribute '{name}' is immutable and already has a value."));
            }
        }

        /// <summary>Writes <c>"name": value</c> when the value is assigned; false (and nothing written) when not.</summary>
        private bool WriteMember(Utf8JsonWriter writer, AttributeDefinition attribute, JsonEncodedText name, JsonElement value, string? parent)
        {
            var written = IsWritable(attribute) && (attribute.MultiValued
                ? WriteMultiValued(writer, attribute, name, value, parent)
                : WriteSingleValued(writer, attribute, name, value, parent));
            if (!written && attribute.Required && IsWritable(attribute))
            {
                throw Invalid($"The attribute '{Name(attribute, parent)}' is required.");
            }
            return written;
        }

        private bool WriteSingleValued(Utf8JsonWriter writer, AttributeDefinition attribute, JsonEncodedText name, JsonElement value, string? parent)
        {
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && IsEmptyString(value)))
            {
                return false;
            }
            if (attribute.IsComplex && value.ValueKind == JsonValueKind.Object)
            {
                var names = FillSubSlots(attribute, value, parent);
                if (!AnySubAssigned(attribute))
                {
                    return false;
                }
                writer.WritePropertyName(name);
                WriteSubSlots(writer, attribute, names, parent);
                return true;
            }
            writer.WritePropertyName(name);
            WriteSingle(writer, attribute, value, parent);
            return true;
        }

        /// <summary>Writes the assigned values, if any, in one pass: the name and '[' go out with the first.</summary>
        private bool WriteMultiValued(Utf8JsonWriter writer, AttributeDefinition attribute, JsonEncodedText name, JsonElement value, string? parent)
        {
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return false;
            }
            var started = false;
            var primaries = 0;
            if (value.ValueKind == JsonValueKind.Array)
            {
                var count = value.GetArrayLength();
                if (count > _limits.MaxValues)
                {
                    throw Invalid($"The attribute '{Name(attribute, parent)}' has {count} values; the limit is {_limits.MaxValues}.");
                }
                foreach (var element in value.EnumerateArray())
                {
                    primaries += WriteElement(writer, attribute, name, element, parent, ref started) ? 1 : 0;
                }
            }
            else
            {
                // A lone value where an array belongs: read it as an array of one.
                WriteElement(writer, attribute, name, value, parent, ref started);
            }
            if (primaries > 1)
            {
                throw Invalid($"At most one value of '{Name(attribute, parent)}' may have primary set to true; {primaries} do.");
            }
            if (started)
            {
                writer.WriteEndArray();
            }
            return started;
        }

        /// <summary>Writes one value of a multi-valued attribute if it is assigned; true when that value is primary.</summary>
        private bool WriteElement(Utf8JsonWriter writer, AttributeDefinition attribute, JsonEncodedText name, JsonElement element, string? parent, ref bool started)
        {
            if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || (element.ValueKind == JsonValueKind.String && IsEmptyString(element)))
            {
                return false;
            }
            if (!attribute.IsComplex)
            {
                Start(writer, name, ref started);
                WriteSingle(writer, attribute, element, parent);
                return false;
            }
            if (element.ValueKind == JsonValueKind.String && IdpDialects.EmbeddedObject(element) is { } decoded)
            {
                element = decoded;
            }
            if (element.ValueKind == JsonValueKind.Object)
            {
                var names = FillSubSlots(attribute, element, parent);
                if (names.TryFind("value", out var valueIndex) && _subSlots[valueIndex] is { ValueKind: JsonValueKind.String } encoded
                    && IdpDialects.EmbeddedObject(encoded) is not null && IdpDialects.TryUnwrapEncodedValue(element, out var unwrapped))
                {
                    FillSubSlots(attribute, unwrapped, parent);
                }
                if (!AnySubAssigned(attribute))
                {
                    return false;
                }
                Start(writer, name, ref started);
                return WriteSubSlots(writer, attribute, names, parent);
            }
            if (element.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                && attribute.FindSubAttribute("value") is { } valueAttribute)
            {
                Start(writer, name, ref started);
                writer.WriteStartObject();
                writer.WritePropertyName(ValueName);
                WriteSingle(writer, valueAttribute, element, Name(attribute, parent));
                writer.WriteEndObject();
                return false;
            }
            throw Invalid($"Each value of '{Name(attribute, parent)}' must be a JSON object, not {Describe(element.ValueKind)}.");
        }

        private static void Start(Utf8JsonWriter writer, JsonEncodedText name, ref bool started)
        {
            if (!started)
            {
                writer.WritePropertyName(name);
                writer.WriteStartArray();
                started = true;
            }
        }

        /// <summary>Reads a complex value's members into <see cref="_subSlots"/> in schema order.</summary>
        private NameIndex FillSubSlots(AttributeDefinition attribute, JsonElement value, string? parent)
        {
            var names = ResourceLayout.SubAttributeNames(attribute);
            var subs = attribute.SubAttributes;
            Array.Clear(_subSlots, 0, subs.Count);
            foreach (var property in value.EnumerateObject())
            {
                if (names.TryFind(property, out var index))
                {
                    if (_subSlots[index].ValueKind != JsonValueKind.Undefined)
                    {
                        throw Syntax($"The attribute '{Name(attribute, parent)}.{subs[index].Name}' appears more than once (names are case-insensitive).");
                    }
                    _subSlots[index] = property.Value;
                }
            }
            return names;
        }

        private bool AnySubAssigned(AttributeDefinition attribute)
        {
            var subs = attribute.SubAttributes;
            for (var i = 0; i < subs.Count; i++)
            {
                if (IsWritable(subs[i]) && IsAssignedElement(subs[i], _subSlots[i]))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Writes the members read by <see cref="FillSubSlots"/>; true when the value is primary.</summary>
        private bool WriteSubSlots(Utf8JsonWriter writer, AttributeDefinition attribute, NameIndex names, string? parent)
        {
            var name = parent is null ? attribute.Name : Name(attribute, parent);
            var primary = false;
            var subs = attribute.SubAttributes;
            writer.WriteStartObject();
            for (var i = 0; i < subs.Count; i++)
            {
                var slot = _subSlots[i];
                // Sub-attributes are simple, so writing one never touches _subSlots.
                if (WriteMember(writer, subs[i], names.Encoded[i], slot, name) && subs[i].Name == "primary")
                {
                    primary = slot.ValueKind == JsonValueKind.True || (slot.ValueKind == JsonValueKind.String && IdpDialects.BooleanString(slot) == true);
                }
            }
            writer.WriteEndObject();
            return primary;
        }

        private static bool IsWritable(AttributeDefinition attribute) => attribute.Mutability is not (Mutability.ReadOnly or Mutability.WriteOnly);

        /// <summary>
        /// Whether a value counts as set: not null, not "", and for complex values some writable member is set.
        /// Validates nothing, so a wrongly typed value counts as set and fails when written.
        /// </summary>
        private static bool IsAssigned(AttributeDefinition attribute, JsonElement value)
        {
            if (!attribute.MultiValued || value.ValueKind != JsonValueKind.Array)
            {
                return IsAssignedElement(attribute, value);
            }
            foreach (var element in value.EnumerateArray())
            {
                if (IsAssignedElement(attribute, element))
                {
                    return true;
                }
            }
            return false;
        }

        private static bool IsAssignedElement(AttributeDefinition attribute, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Undefined or JsonValueKind.Null:
                    return false;
                case JsonValueKind.String:
                    if (IsEmptyString(value))
                    {
                        return false;
                    }
                    // A JSON-encoded object (Entra ID roles) counts by its members; any other string is set, and
                    // fails when written if the attribute cannot take one.
                    return !attribute.IsComplex || IdpDialects.EmbeddedObject(value) is not { } decoded || IsAssignedComplex(attribute, decoded);
                case JsonValueKind.Object when attribute.IsComplex:
                    return IsAssignedComplex(attribute, value);
                default:
                    return true;
            }
        }

        private static bool IsAssignedComplex(AttributeDefinition attribute, JsonElement value)
        {
            var names = ResourceLayout.SubAttributeNames(attribute);
            foreach (var property in value.EnumerateObject())
            {
                if (names.TryFind(property, out var index) && IsWritable(attribute.SubAttributes[index])
                    && IsAssignedElement(attribute.SubAttributes[index], property.Value))
                {
                    return true;
                }
            }
            return false;
        }

        private void WriteSingle(Utf8JsonWriter writer, AttributeDefinition attribute, JsonElement value, string? parent)
        {
            switch (attribute.Type)
            {
                case AttributeType.Complex:
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        WriteSubSlots(writer, attribute, FillSubSlots(attribute, value, parent), parent);
                    }
                    else if (value.ValueKind == JsonValueKind.String && attribute.FindSubAttribute("value") is { } valueAttribute)
                    {
                        // Entra ID sends manager as a bare id; it must read back as {"value": id}.
                        writer.WriteStartObject();
                        writer.WritePropertyName(ValueName);
                        WriteSingle(writer, valueAttribute, value, Name(attribute, parent));
                        writer.WriteEndObject();
                    }
                    else
                    {
                        throw Invalid($"The attribute '{Name(attribute, parent)}' must be a JSON object, not {Describe(value.ValueKind)}.");
                    }
                    break;
                case AttributeType.Boolean:
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        writer.WriteBooleanValue(value.ValueKind == JsonValueKind.True);
                    }
                    else if (IdpDialects.BooleanString(value) is { } parsed)
                    {
                        writer.WriteBooleanValue(parsed);
                    }
                    else
                    {
                        throw Invalid($"The attribute '{Name(attribute, parent)}' must be a boolean (true or false), not {Show(value)}.");
                    }
                    break;
                case AttributeType.Integer:
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
                    {
                        throw Invalid($"The attribute '{Name(attribute, parent)}' must be an integer, not {Show(value)}.");
                    }
                    value.WriteTo(writer);
                    break;
                case AttributeType.Decimal:
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out _))
                    {
                        throw Invalid($"The attribute '{Name(attribute, parent)}' must be a decimal number, not {Show(value)}.");
                    }
                    value.WriteTo(writer);
                    break;
                case AttributeType.DateTime:
                    if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out _))
                    {
                        throw Invalid($"The attribute '{Name(attribute, parent)}' must be an xsd:dateTime such as \"2024-05-13T04:42:34Z\", not {Show(value)}.");
                    }
                    WriteString(writer, attribute, value, parent);
                    break;
                case AttributeType.Binary:
                    if (value.ValueKind != JsonValueKind.String || !IsBase64(value))
                    {
                        throw Invalid($"The attribute '{Name(attribute, parent)}' must be base64-encoded binary, not {Show(value)}.");
                    }
                    WriteString(writer, attribute, value, parent);
                    break;
                default:
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        throw Invalid($"The attribute '{Name(attribute, parent)}' must be a string, not {Show(value)}.");
                    }
                    WriteString(writer, attribute, value, parent);
                    break;
            }
        }

        private void WriteString(Utf8JsonWriter writer, AttributeDefinition attribute, JsonElement value, string? parent)
        {
            var length = JsonMarshal.GetRawUtf8Value(value).Length - 2;
            if (length > _limits.MaxStringBytes)
            {
                throw Invalid($"The attribute '{Name(attribute, parent)}' is {length} bytes long; the limit is {_limits.MaxStringBytes}.");
            }
            value.WriteTo(writer);
        }

        private static bool IsEmptyString(JsonElement value) => JsonMarshal.GetRawUtf8Value(value).Length == 2;

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
