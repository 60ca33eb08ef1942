using System.Text.Json;

namespace RfpioGateway.Scim.Errors;

/// <summary>
/// A SCIM error (RFC 7644 §3.12): an HTTP status, an optional <c>scimType</c> and a human-readable detail.
/// Every expected failure in the product is one of these; they serialise with <c>status</c> as a string.
/// </summary>
public sealed record ScimError(int Status, ScimErrorType Type, string Detail)
{
    public const string SchemaUrn = "urn:ietf:params:scim:api:messages:2.0:Error";

    /// <summary>The wire name of <see cref="Type"/>, or null when the error has none.</summary>
    public string? ScimType => WireName(Type);

    public static string? WireName(ScimErrorType type) => type switch
    {
        ScimErrorType.None => null,
        ScimErrorType.InvalidFilter => "invalidFilter",
        ScimErrorType.TooMany => "tooMany",
        ScimErrorType.Uniqueness => "uniqueness",
        ScimErrorType.Mutability => "mutability",
        ScimErrorType.InvalidSyntax => "invalidSyntax",
        ScimErrorType.InvalidPath => "invalidPath",
        ScimErrorType.NoTarget => "noTarget",
        ScimErrorType.InvalidValue => "invalidValue",
        ScimErrorType.InvalidVers => "invalidVers",
        ScimErrorType.Sensitive => "sensitive",
        ScimErrorType.InvalidCursor => "invalidCursor",
        ScimErrorType.ExpiredCursor => "expiredCursor",
        ScimErrorType.InvalidCount => "invalidCount",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static ScimError InvalidFilter(string detail) => new(400, ScimErrorType.InvalidFilter, detail);
    public static ScimError TooMany(string detail) => new(400, ScimErrorType.TooMany, detail);
    public static ScimError Uniqueness(string detail) => new(409, ScimErrorType.Uniqueness, detail);
    public static ScimError Mutability(string detail) => new(400, ScimErrorType.Mutability, detail);
    public static ScimError InvalidSyntax(string detail) => new(400, ScimErrorType.InvalidSyntax, detail);
    public static ScimError InvalidPath(string detail) => new(400, ScimErrorType.InvalidPath, detail);
    public static ScimError NoTarget(string detail) => new(400, ScimErrorType.NoTarget, detail);
    public static ScimError InvalidValue(string detail) => new(400, ScimErrorType.InvalidValue, detail);
    public static ScimError InvalidVersion(string detail) => new(400, ScimErrorType.InvalidVers, detail);
    public static ScimError InvalidCursor(string detail) => new(400, ScimErrorType.InvalidCursor, detail);
    public static ScimError ExpiredCursor(string detail) => new(400, ScimErrorType.ExpiredCursor, detail);
    public static ScimError InvalidCount(string detail) => new(400, ScimErrorType.InvalidCount, detail);
    public static ScimError Sensitive(string detail) => new(403, ScimErrorType.Sensitive, detail);
    public static ScimError NotFound(string detail) => new(404, ScimErrorType.None, detail);
    /// <summary>A bulk operation whose <c>bulkId:</c> reference cannot be resolved (RFC 7644 §3.7.1–3.7.2).</summary>
    public static ScimError Conflict(string detail) => new(409, ScimErrorType.InvalidValue, detail);
    public static ScimError PreconditionFailed(string detail) => new(412, ScimErrorType.None, detail);
    public static ScimError Unauthorized(string detail) => new(401, ScimErrorType.None, detail);
    public static ScimError Forbidden(string detail) => new(403, ScimErrorType.None, detail);
    public static ScimError MethodNotAllowed(string detail) => new(405, ScimErrorType.None, detail);
    public static ScimError PayloadTooLarge(string detail) => new(413, ScimErrorType.None, detail);
    public static ScimError UnsupportedMediaType(string detail) => new(415, ScimErrorType.None, detail);
    public static ScimError TooManyRequests(string detail) => new(429, ScimErrorType.None, detail);
    public static ScimError Internal(string detail) => new(500, ScimErrorType.None, detail);
    public static ScimError NotImplemented(string detail) => new(501, ScimErrorType.None, detail);
    public static ScimError Unavailable(string detail) => new(503, ScimErrorType.None, detail);

    /// <summary>Writes the RFC 7644 §3.12 body.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("schemas");
        writer.WriteStringValue(SchemaUrn);
        writer.WriteEndArray();
        writer.WriteString("status", Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (ScimType is { } scimType)
        {
            writer.WriteString("scimType", scimType);
        }
        writer.WriteString("detail", Detail);
        writer.WriteEndObject();
    }

    public byte[] ToUtf8Json()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public string ToJson() => System.Text.Encoding.UTF8.GetString(ToUtf8Json());
}
