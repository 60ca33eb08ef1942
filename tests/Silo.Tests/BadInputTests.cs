using System.Net;
using System.Text;

namespace RfpioGateway.Silo.Tests;

/// <summary>Bad input always gets a SCIM 4xx, never a 500, an HTML page or a half-applied change.</summary>
[Collection(SiloCollection.Name)]
public sealed class BadInputTests(SiloServer silo)
{
    [Theory]
    [InlineData("{", "invalidSyntax")]
    [InlineData("[]", "invalidSyntax")]
    [InlineData("""{"userName":42}""", "invalidValue")]
    [InlineData("""{"userName":"u","active":"maybe"}""", "invalidValue")]
    [InlineData("""{"displayName":"no userName"}""", "invalidValue")]
    [InlineData("""{"userName":"u","USERNAME":"v"}""", "invalidSyntax")]
    public async Task Create_BadBody_BadRequestWithScimType(string body, string scimType)
    {
        var token = await silo.CreateTenantAsync("bad-create");
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, "bad-create", token, "/Users", body), HttpStatusCode.BadRequest, scimType);
    }

    [Fact]
    public async Task Create_DeepNesting_BadRequest()
    {
        var token = await silo.CreateTenantAsync("bad-deep");
        var body = "{\"userName\":\"u\",\"name\":" + new string('[', 5000) + new string(']', 5000) + "}";
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, "bad-deep", token, "/Users", body), HttpStatusCode.BadRequest, "invalidSyntax");
    }

    [Fact]
    public async Task Create_OverSizeLimit_PayloadTooLarge()
    {
        var token = await silo.CreateTenantAsync("bad-huge");
        var body = "{\"userName\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";
        // As curl sends big bodies: without 100-continue the early 413 can race the upload and break the pipe.
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, "bad-huge", token, "/Users", body, configure: r => r.Headers.ExpectContinue = true),
            HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Create_PlainTextContentType_UnsupportedMediaType()
    {
        var token = await silo.CreateTenantAsync("bad-type");
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, "bad-type", token, "/Users", """{"userName":"u"}""", "text/plain"), HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("application/json", "bad-json-1")]
    [InlineData("application/scim+json; charset=utf-8", "bad-json-2")]
    [InlineData("application/json; charset=utf-8", "bad-json-3")]
    public async Task Create_JsonContentTypes_Accepted(string contentType, string tenant)
    {
        var token = await silo.CreateTenantAsync(tenant);
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, "/Users", """{"userName":"u"}""", contentType), HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("/Users?filter=userName+zz+%22x%22")]
    [InlineData("/Users?filter=(userName+eq+%22x%22")]
    [InlineData("/Users?filter=groups.value+eq+%22x%22")]
    [InlineData("/Groups?filter=members.display+eq+%22x%22")]
    [InlineData("/Users?filter=shoeSize+eq+42")]
    public async Task List_BadOrUnsupportedFilter_InvalidFilter(string path)
    {
        var token = await silo.CreateTenantAsync("bad-filter");
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, "bad-filter", token, path), HttpStatusCode.BadRequest, "invalidFilter");
    }

    [Theory]
    [InlineData("GET", "/Nope")]
    [InlineData("GET", "/Users/not-an-id")]
    [InlineData("GET", "/Schemas/urn:nope")]
    [InlineData("GET", "/ResourceTypes/Device")]
    public async Task Get_UnknownPath_ScimNotFound(string method, string path)
    {
        var token = await silo.CreateTenantAsync("bad-path");
        await ScimAssert.Error(await silo.Scim(new HttpMethod(method), "bad-path", token, path), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("DELETE", "/Users")]
    [InlineData("PUT", "/ServiceProviderConfig")]
    [InlineData("POST", "/Schemas")]
    [InlineData("GET", "/Users/.search")]
    public async Task WrongMethod_ScimMethodNotAllowed(string method, string path)
    {
        var token = await silo.CreateTenantAsync("bad-method");
        await ScimAssert.Error(await silo.Scim(new HttpMethod(method), "bad-method", token, path, method == "GET" ? null : "{}"), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Patch_FailingOperation_LeavesUserUnchanged()
    {
        var token = await silo.CreateTenantAsync("bad-patch");
        var created = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "bad-patch", token, "/Users", """{"userName":"u","title":"Guide"}"""), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var patch = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Boss"},{"op":"replace","path":"active","value":"perhaps"}]}""";
        await ScimAssert.Error(await silo.Scim(HttpMethod.Patch, "bad-patch", token, $"/Users/{id}", patch), HttpStatusCode.BadRequest, "invalidValue");
        var after = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "bad-patch", token, $"/Users/{id}"));
        Assert.Equal("Guide", after.GetProperty("title").GetString());
        Assert.Equal("W/\"1\"", after.GetProperty("meta").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Patch_GarbageBytes_BadRequest()
    {
        var token = await silo.CreateTenantAsync("bad-bytes");
        var created = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "bad-bytes", token, "/Users", """{"userName":"u"}"""), HttpStatusCode.Created);
        var request = new ByteArrayContent([0xFF, 0xFE, 0x00, 0x7B]);
        request.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/scim+json");
        using var response = await silo.Scim(HttpMethod.Patch, "bad-bytes", token, $"/Users/{created.GetProperty("id").GetString()}", configure: r => r.Content = request);
        await ScimAssert.Error(response, HttpStatusCode.BadRequest, "invalidSyntax");
    }

    [Fact]
    public async Task Request_WithoutUserAgent_Served()
    {
        var token = await silo.CreateTenantAsync("bad-agent");
        using var response = await silo.Scim(HttpMethod.Get, "bad-agent", token, "/Users?filter=userName+eq+%22x%22", configure: r => r.Headers.UserAgent.Clear());
        await ScimAssert.Ok(response);
    }

    [Theory]
    [InlineData(34)]
    [InlineData(100)]
    public async Task List_LongAndChainOnSummaries_AnsweredNot500(int terms)
    {
        // Each shard used to re-parse a printed form with one parenthesis per term, past the depth limit.
        var token = await silo.CreateTenantAsync($"bad-and-{terms}");
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, $"bad-and-{terms}", token, "/Users", """{"userName":"u","displayName":"a"}"""), HttpStatusCode.Created);
        var filter = string.Join(" and ", Enumerable.Repeat("displayName eq \"a\"", terms));
        var list = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, $"bad-and-{terms}", token, "/Users?filter=" + Uri.EscapeDataString(filter)));
        Assert.Equal(1, list.GetProperty("totalResults").GetInt32());
    }
}
