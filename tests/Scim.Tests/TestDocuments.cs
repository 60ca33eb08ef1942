using System.Text;
using System.Text.Json;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Tests;

/// <summary>Small helpers that keep test bodies about the behaviour, not the plumbing.</summary>
internal static class TestDocuments
{
    public static readonly DateTimeOffset Created = new(2024, 1, 23, 4, 56, 22, TimeSpan.Zero);

    public static ScimResult<ScimDocument> ValidateUser(string json, ValidationContext context = ValidationContext.Create, ScimDocument? existing = null) =>
        ResourceValidator.Validate(Encoding.UTF8.GetBytes(json), ScimSchemas.UserResourceType, context, existing);

    public static ScimDocument User(string json)
    {
        var result = ValidateUser(json);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value;
    }

    public static ScimDocument Group(string json)
    {
        var result = ResourceValidator.Validate(Encoding.UTF8.GetBytes(json), ScimSchemas.GroupResourceType, ValidationContext.Create);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value;
    }

    public static ScimError Error<T>(ScimResult<T> result)
    {
        Assert.False(result.IsSuccess, "expected a SCIM error, got success");
        return result.Error!;
    }

    public static ScimResult<PatchResult> ApplyPatch(ScimDocument document, string patchJson)
    {
        var request = PatchRequest.Parse(Encoding.UTF8.GetBytes(patchJson));
        return request.IsSuccess ? PatchEngine.Apply(document, request.Value) : request.Error;
    }

    public static PatchResult PatchOk(ScimDocument document, string patchJson)
    {
        var result = ApplyPatch(document, patchJson);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value;
    }

    /// <summary>Wraps operations in a PatchOp message.</summary>
    public static string Ops(params string[] operations) =>
        $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{string.Join(',', operations)}}]}""";

    public static JsonElement Render(ScimDocument document, AttributeSelection? selection = null, string id = "2819c223")
    {
        var bytes = ResourceRenderer.Render(document, new ResourceMeta(id, Created, Created, 1, $"https://acme.rfpio.com/rfpserver/scim/v2/Users/{id}"), selection);
        return JsonSerializer.Deserialize<JsonElement>(bytes);
    }

    public static JsonElement ParseJson(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    public static string? Str(JsonElement element, params string[] path)
    {
        foreach (var segment in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return null;
            }
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
    }

    public static bool Has(JsonElement element, params string[] path)
    {
        foreach (var segment in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return false;
            }
        }
        return true;
    }

    public const string Enterprise = ScimSchemas.EnterpriseUserUrn;
}
