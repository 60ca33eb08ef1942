using System.Text;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;
using static RfpioGateway.Scim.Tests.TestDocuments;

namespace RfpioGateway.Scim.Tests.Robustness;

/// <summary>A generated corpus of hostile inputs: only SCIM errors (or valid results) may come out.</summary>
public sealed class MalformedCorpusTests
{
    private static readonly string Megabyte = new('x', 1024 * 1024);

    public static IEnumerable<byte[]> Bodies()
    {
        yield return [];
        yield return "{"u8.ToArray();
        yield return Encoding.UTF8.GetBytes(new string('[', 10_000));
        yield return Encoding.UTF8.GetBytes(new string('{', 5_000) + new string('}', 5_000));
        yield return Encoding.UTF8.GetBytes("{\"userName\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 101));
        yield return "{\"userName\":\"u\",\"active\":1e999999}"u8.ToArray();
        yield return "{\"userName\":1e999999}"u8.ToArray();
        yield return "{\"userName\":\"u\",\"x509Certificates\":[{\"value\":123456789012345678901234567890}]}"u8.ToArray();
        yield return [0x7B, 0x22, 0x75, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D];                 // invalid UTF-8 in a name
        yield return [.. "{\"userName\":\""u8, 0xC3, 0x28, .. "\"}"u8];                      // invalid UTF-8 in a value
        yield return "{\"userName\":\"\\ud800\"}"u8.ToArray();                                // lone high surrogate
        yield return "{\"userName\":\"u\",\"displayName\":\"\\udc00x\\ud800\"}"u8.ToArray();
        yield return "{\"userName\":\"u\",\"name\":{\"givenName\":\"\\ud83d\"}}"u8.ToArray();
        yield return Encoding.UTF8.GetBytes("{\"userName\":\"" + Megabyte + "\"}");
        yield return Encoding.UTF8.GetBytes("{\"userName\":\"u\",\"emails\":[" + string.Join(',', Enumerable.Repeat("{\"value\":\"a\"}", 10_000)) + "]}");
        yield return "{\"userName\":\"u\",\"userName\":\"v\"}"u8.ToArray();
        yield return "{\"userName\":\"u\"} trailing"u8.ToArray();
        yield return "\"just a string\""u8.ToArray();
        yield return "null"u8.ToArray();
        yield return "{\"userName\":\"u\",\"roles\":[\"{\\\"value\\\":\"]}"u8.ToArray();
        yield return "{\"userName\":\"u\",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"manager\":[1,2]}}"u8.ToArray();
        yield return "{\"userName\":\"u\",\"meta\":{\"created\":\"\\u0000\"}}"u8.ToArray();
        yield return "{\"\\u0000\":1,\"userName\":\"\\t\"}"u8.ToArray();
    }

    public static IEnumerable<string> Filters()
    {
        yield return new string('(', 10_000);
        yield return string.Concat(Enumerable.Repeat("not (", 1000)) + "title pr" + new string(')', 1000);
        yield return "userName eq \"" + Megabyte + "\"";
        yield return "userName eq \"\\ud800\"";
        yield return "userName eq \"\\u12\"";
        yield return "userName eq 1e999999";
        yield return "userName eq 99999999999999999999999999999999999999";
        yield return "emails[[[[[type eq \"x\"]]]]]";
        yield return "emails[type eq \"x\"";
        yield return "urn:";
        yield return "urn::::";
        yield return "\u0000 eq \"x\"";
        yield return "userName eq \"a\\";
        yield return "a.b.c.d eq 1";
        yield return string.Join(" and ", Enumerable.Repeat("title pr", 5000));
        yield return "meta.created gt \"9999-99-99\"";
        yield return "userName eq \"😀\" or (((((";
        yield return "]";
        yield return ".";
        yield return "\"";
    }

    public static IEnumerable<string> PatchPaths()
    {
        yield return "emails[type eq \"work\"].";
        yield return "emails[type eq \"work\"].value.extra";
        yield return "emails[type eq \"work\"][value eq \"x\"]";
        yield return "emails.value[type eq \"work\"]";
        yield return "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:";
        yield return "name..givenName";
        yield return new string('a', 100_000);
        yield return "emails[" + new string('(', 500) + "]";
    }

    [Fact]
    public void Corpus_Bodies_OnlyScimErrors()
    {
        foreach (var body in Bodies())
        {
            Check(ResourceValidator.Validate(body, ScimSchemas.UserResourceType, ValidationContext.Create), Encoding.UTF8.GetString(body));
            Check(PatchRequest.Parse(body), Encoding.UTF8.GetString(body));
            var asValue = Encoding.UTF8.GetString(body);
            Check(ApplyPatch(User("""{"userName":"u"}"""), Ops($$"""{"op":"add","path":"title","value":{{System.Text.Json.JsonSerializer.Serialize(asValue)}}}""")), asValue);
        }
    }

    [Fact]
    public void Corpus_Filters_OnlyScimErrors()
    {
        var user = Render(User("""{"userName":"u"}"""));
        foreach (var filter in Filters())
        {
            var parsed = FilterParser.Parse(filter);
            Check(parsed, filter);
            if (parsed.IsSuccess)
            {
                Check(FilterEvaluator.Matches(parsed.Value, user, ScimSchemas.UserResourceType), filter);
            }
            Check(ApplyPatch(User("""{"userName":"u"}"""), Ops($$"""{"op":"replace","path":{{System.Text.Json.JsonSerializer.Serialize(filter)}},"value":"v"}""")), filter);
        }
    }

    [Fact]
    public void Corpus_PatchPaths_OnlyScimErrors()
    {
        foreach (var path in PatchPaths())
        {
            var result = ApplyPatch(User("""{"userName":"u","emails":[{"value":"a","type":"work"}]}"""), Ops($$"""{"op":"replace","path":{{System.Text.Json.JsonSerializer.Serialize(path)}},"value":"v"}"""));
            Check(result, path);
        }
    }

    [Fact]
    public void Corpus_DeepNesting_IsInvalidSyntaxNotCrash()
    {
        var error = Error(ResourceValidator.Validate(Encoding.UTF8.GetBytes(new string('[', 10_000)), ScimSchemas.UserResourceType, ValidationContext.Create));
        Assert.Equal(ScimErrorType.InvalidSyntax, error.Type);
        Assert.Contains("depth", error.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Corpus_MegabyteUserName_IsInvalidValue()
    {
        var error = Error(ResourceValidator.Validate(Encoding.UTF8.GetBytes("{\"userName\":\"" + Megabyte + "\"}"), ScimSchemas.UserResourceType, ValidationContext.Create));
        Assert.Equal(ScimErrorType.InvalidValue, error.Type);
    }

    private static void Check<T>(ScimResult<T> result, string input)
    {
        if (!result.IsSuccess)
        {
            Assert.True(result.Error.Status is >= 400 and < 500, $"{Shorten(input)} gave status {result.Error.Status}");
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
