using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Benchmarks;

/// <summary>
/// The core's hot paths, each next to its floor: <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>
/// of the same bytes. Bodies are the shapes Entra ID sends (reference §2.2 and §2.4).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, warmupCount: 5, iterationCount: 15)]
public class CoreBenchmarks
{
    private static readonly byte[] CreateBody = Encoding.UTF8.GetBytes("""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee@contoso.com",
         "active":true,"displayName":"Test User","title":"Tour Guide",
         "emails":[{"primary":true,"type":"work","value":"Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"}],
         "meta":{"resourceType":"User"},
         "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
         "phoneNumbers":[{"type":"work","value":"555-555-5555"},{"type":"mobile","value":"555-555-5556"}],
         "addresses":[{"type":"work","streetAddress":"1 Main St","locality":"Redmond","region":"WA","postalCode":"98052","country":"US","primary":true}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Tour Operations"},
         "roles":[]}
        """);

    private static readonly byte[] PatchBody = Encoding.UTF8.GetBytes("""
        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
          {"op":"Replace","path":"displayName","value":"Updated User"},
          {"op":"Replace","path":"emails[type eq \"work\"].value","value":"updated@testuser.com"},
          {"op":"Replace","path":"addresses[type eq \"work\"].locality","value":"Seattle"},
          {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"26118915-6090-4610-87e4-49d8ca9f808d"},
          {"op":"Replace","path":"active","value":"False"}]}
        """);

    private const string Filter = "userName eq \"alice@contoso.com\"";

    private ScimDocument _stored = null!;
    private byte[] _storedAndPatch = null!;
    private AttributeSelection _selection = null!;
    private ResourceMeta _meta = null!;

    [GlobalSetup]
    public void Setup()
    {
        _stored = ResourceValidator.Validate(CreateBody, ScimSchemas.UserResourceType, ValidationContext.Create).Value;
        _storedAndPatch = [.. Encoding.UTF8.GetBytes("["), .. _stored.Utf8Json, .. Encoding.UTF8.GetBytes(","), .. PatchBody, .. Encoding.UTF8.GetBytes("]")];
        _selection = AttributeSelection.Parse("userName,name.givenName,emails.value,active", null, ScimSchemas.UserResourceType).Value;
        _meta = new ResourceMeta("0190f3a1-7b2c-7def-8a12-3456789abcde", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 3, "https://acme.rfpio.com/rfpserver/scim/v2/Users/0190f3a1-7b2c-7def-8a12-3456789abcde");
    }

    [Benchmark(Description = "floor: JsonDocument.Parse(create body)")]
    public int ParseCreateBodyFloor()
    {
        using var document = JsonDocument.Parse(CreateBody);
        return document.RootElement.GetPropertyCount();
    }

    /// <summary>What any validator that writes a canonical copy must at least do: parse, then write every value once.</summary>
    [Benchmark(Description = "reference: parse + rewrite create body")]
    public int ParseAndRewriteReference()
    {
        using var document = JsonDocument.Parse(CreateBody);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.ScimJson.Encoder }))
        {
            document.RootElement.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray().Length;
    }

    [Benchmark(Description = "validate Entra create body")]
    public ScimResult<ScimDocument> ValidateCreate() =>
        ResourceValidator.Validate(CreateBody, ScimSchemas.UserResourceType, ValidationContext.Create);

    [Benchmark(Description = "floor: JsonDocument.Parse(stored user + patch body)")]
    public int ParsePatchInputsFloor()
    {
        using var document = JsonDocument.Parse(_storedAndPatch);
        return document.RootElement.GetArrayLength();
    }

    [Benchmark(Description = "parse + apply 5-op Entra PATCH")]
    public ScimResult<PatchResult> ApplyPatch()
    {
        var request = PatchRequest.Parse(PatchBody);
        return PatchEngine.Apply(_stored, request.Value);
    }

    [Benchmark(Description = "parse filter userName eq")]
    public ScimResult<FilterNode> ParseFilter() => FilterParser.Parse(Filter);

    [Benchmark(Description = "render user with attributes=")]
    public byte[] Project() => ResourceRenderer.Render(_stored, _meta, _selection);

    [Benchmark(Description = "render user, all attributes")]
    public byte[] Render() => ResourceRenderer.Render(_stored, _meta);
}
