using System.Text;
using System.Text.Json;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Resources;

/// <summary>
/// A validated resource's writable attributes in canonical form: schema-cased names, known attributes only,
/// no unassigned values, extensions as objects under their URN, values exactly as the client sent them.
/// It holds no <c>id</c>, <c>meta</c> or <c>schemas</c>: those belong to the service and are added when rendering.
/// </summary>
public sealed class ScimDocument
{
    private JsonElement? _root;

    internal ScimDocument(ResourceTypeDefinition resourceType, byte[] utf8Json, string? userName, string? externalId, string? displayName, bool? active)
    {
        ResourceType = resourceType;
        Utf8Json = utf8Json;
        UserName = userName;
        ExternalId = externalId;
        DisplayName = displayName;
        Active = active;
    }

    private ScimDocument(ResourceTypeDefinition resourceType, byte[] utf8Json)
    {
        ResourceType = resourceType;
        Utf8Json = utf8Json;
        var root = Root;
        UserName = StringOrNull(root, "userName");
        ExternalId = StringOrNull(root, "externalId");
        DisplayName = StringOrNull(root, "displayName");
        Active = root.TryGetProperty("active", out var active) && active.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? active.GetBoolean()
            : null;
    }

    public ResourceTypeDefinition ResourceType { get; }

    /// <summary>The canonical JSON object, UTF-8. Store this; <see cref="Load"/> reads it back.</summary>
    public byte[] Utf8Json { get; }

    public JsonElement Root => _root ??= JsonSerializer.Deserialize<JsonElement>(Utf8Json);

    public string? UserName { get; }
    public string? ExternalId { get; }
    public string? DisplayName { get; }

    /// <summary>The <c>active</c> flag, or null when the client never set one.</summary>
    public bool? Active { get; }

    /// <summary>Wraps canonical JSON that this library produced earlier (for example, read back from storage).</summary>
    public static ScimDocument Load(ResourceTypeDefinition resourceType, byte[] canonicalUtf8Json) => new(resourceType, canonicalUtf8Json);

    public static ScimDocument Load(ResourceTypeDefinition resourceType, string canonicalJson) =>
        new(resourceType, Encoding.UTF8.GetBytes(canonicalJson));

    public string ToJson() => Encoding.UTF8.GetString(Utf8Json);

    /// <summary>
    /// Same content. Canonical documents are written deterministically (schema order, one encoder), so equal
    /// bytes are the common answer; the structural comparison covers documents from elsewhere.
    /// </summary>
    public bool ContentEquals(ScimDocument other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Utf8Json.AsSpan().SequenceEqual(other.Utf8Json) || JsonElement.DeepEquals(Root, other.Root);
    }

    public override string ToString() => ToJson();

    private static string? StringOrNull(JsonElement root, string name) =>
        JsonLookup.TryGetProperty(root, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
