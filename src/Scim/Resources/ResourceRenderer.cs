using System.Buffers;
using System.Globalization;
using System.Text.Json;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Resources;

/// <summary>
/// Writes a resource's representation: <c>schemas</c> (the core schema plus every extension present), <c>id</c>,
/// the stored attributes as projected by an <see cref="AttributeSelection"/>, and <c>meta</c>.
/// </summary>
public static class ResourceRenderer
{
    public static byte[] Render(ScimDocument document, ResourceMeta meta, AttributeSelection? selection = null)
    {
        var buffer = new ArrayBufferWriter<byte>(document?.Utf8Json.Length + 256 ?? 256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ScimJson.Encoder }))
        {
            Write(writer, document!, meta, selection);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, ScimDocument document, ResourceMeta meta, AttributeSelection? selection = null)
    {
        WriteOpen(writer, document, meta, selection);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Everything <see cref="Write"/> writes but the closing brace, so attributes the server computes (a group's
    /// members) can follow, streamed in pages.
    /// </summary>
    public static void WriteOpen(Utf8JsonWriter writer, ScimDocument document, ResourceMeta meta, AttributeSelection? selection = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(meta);
        selection ??= AttributeSelection.Default;
        var resourceType = document.ResourceType;
        var layout = ResourceLayout.For(resourceType);
        var root = document.Root;

        writer.WriteStartObject();
        writer.WriteStartArray("schemas");
        writer.WriteStringValue(resourceType.Schema.Id);
        foreach (var extension in layout.Extensions)
        {
            if (root.TryGetProperty(extension.Id, out var value) && HasVisibleMember(extension, value, selection))
            {
                writer.WriteStringValue(extension.Id);
            }
        }
        writer.WriteEndArray();
        writer.WriteString("id", meta.Id);

        foreach (var property in root.EnumerateObject())
        {
            if (layout.AttributeIndex.TryGetValue(property.Name, out var index))
            {
                WriteAttribute(writer, layout.Attributes[index], null, property.Value, selection);
            }
        }
        foreach (var extension in layout.Extensions)
        {
            if (!root.TryGetProperty(extension.Id, out var value) || !HasVisibleMember(extension, value, selection))
            {
                continue;
            }
            writer.WriteStartObject(extension.Id);
            foreach (var property in value.EnumerateObject())
            {
                if (extension.FindAttribute(property.Name) is { } attribute)
                {
                    WriteAttribute(writer, attribute, extension, property.Value, selection);
                }
            }
            writer.WriteEndObject();
        }

        var metaAttribute = ScimSchemas.CommonAttributes[2];
        if (selection.Includes(metaAttribute, null, out var onlySubs, out var excludedSubs))
        {
            writer.WriteStartObject("meta");
            WriteMetaMember(writer, metaAttribute, "resourceType", resourceType.Name, onlySubs, excludedSubs);
            WriteMetaMember(writer, metaAttribute, "created", Timestamp(meta.Created), onlySubs, excludedSubs);
            WriteMetaMember(writer, metaAttribute, "lastModified", Timestamp(meta.LastModified), onlySubs, excludedSubs);
            if (meta.Location is not null)
            {
                WriteMetaMember(writer, metaAttribute, "location", meta.Location, onlySubs, excludedSubs);
            }
            WriteMetaMember(writer, metaAttribute, "version", ETag.Format(meta.Version), onlySubs, excludedSubs);
            writer.WriteEndObject();
        }
    }

    /// <summary>RFC 3339 in UTC with millisecond precision: what xsd:dateTime readers accept everywhere.</summary>
    public static string Timestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteMetaMember(Utf8JsonWriter writer, AttributeDefinition meta, string name, string value,
        IReadOnlySet<AttributeDefinition>? onlySubs, IReadOnlySet<AttributeDefinition>? excludedSubs)
    {
        if (AttributeSelection.IncludesSub(meta.FindSubAttribute(name)!, onlySubs, excludedSubs))
        {
            writer.WriteString(name, value);
        }
    }

    private static bool HasVisibleMember(SchemaDefinition extension, JsonElement value, AttributeSelection selection)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (extension.FindAttribute(property.Name) is { } attribute && selection.Includes(attribute, extension, out _, out _))
            {
                return true;
            }
        }
        return false;
    }

    private static void WriteAttribute(Utf8JsonWriter writer, AttributeDefinition attribute, SchemaDefinition? extension, JsonElement value, AttributeSelection selection)
    {
        if (!selection.Includes(attribute, extension, out var onlySubs, out var excludedSubs))
        {
            return;
        }
        if (!attribute.IsComplex || (onlySubs is null && excludedSubs is null && !HasHiddenSubs(attribute)))
        {
            writer.WritePropertyName(attribute.Name);
            value.WriteTo(writer);
            return;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            writer.WriteStartArray(attribute.Name);
            foreach (var element in value.EnumerateArray())
            {
                if (HasVisibleSub(attribute, element, onlySubs, excludedSubs))
                {
                    WriteSubs(writer, attribute, element, onlySubs, excludedSubs);
                }
            }
            writer.WriteEndArray();
        }
        else if (HasVisibleSub(attribute, value, onlySubs, excludedSubs))
        {
            writer.WritePropertyName(attribute.Name);
            WriteSubs(writer, attribute, value, onlySubs, excludedSubs);
        }
    }

    private static bool HasHiddenSubs(AttributeDefinition attribute)
    {
        foreach (var sub in attribute.SubAttributes)
        {
            if (sub.Returned is Returned.Never or Returned.Request)
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasVisibleSub(AttributeDefinition attribute, JsonElement element, IReadOnlySet<AttributeDefinition>? onlySubs, IReadOnlySet<AttributeDefinition>? excludedSubs)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (attribute.FindSubAttribute(property.Name) is { } sub && AttributeSelection.IncludesSub(sub, onlySubs, excludedSubs))
            {
                return true;
            }
        }
        return false;
    }

    private static void WriteSubs(Utf8JsonWriter writer, AttributeDefinition attribute, JsonElement element, IReadOnlySet<AttributeDefinition>? onlySubs, IReadOnlySet<AttributeDefinition>? excludedSubs)
    {
        writer.WriteStartObject();
        foreach (var property in element.EnumerateObject())
        {
            if (attribute.FindSubAttribute(property.Name) is { } sub && AttributeSelection.IncludesSub(sub, onlySubs, excludedSubs))
            {
                property.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }
}
