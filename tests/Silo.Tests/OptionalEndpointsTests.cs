using System.Net;
using System.Text;

namespace RfpioGateway.Silo.Tests;

/// <summary>The optional parts of RFC 7644 we do not serve, answered as the RFC says, and HEAD/OPTIONS (RFC 9110).</summary>
[Collection(SiloCollection.Name)]
public sealed class OptionalEndpointsTests(SiloServer silo)
{
    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Me_AnyMethod_501NotImplemented(string method)
    {
        // §3.11: "If the service provider does not support /Me, it SHOULD respond with HTTP status code 501".
        const string Tenant = "me-unsupported";
        var token = await silo.CreateTenantAsync(Tenant);
        var error = await ScimAssert.Error(await silo.Scim(new HttpMethod(method), Tenant, token, "/Me", method == "GET" ? null : "{}"), HttpStatusCode.NotImplemented);
        Assert.Contains("/Me", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_WithoutToken_401()
    {
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, "me-anonymous", null, "/Me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Password_OnCreatePutAndPatch_NeverStoredNeverReturned()
    {
        // RFC 7643 §4.1.1: password is writeOnly and never returned; changePassword is advertised unsupported
        // (§5), so a password sent on create or PUT (Okta does) is dropped, not stored.
        const string Tenant = "password-dropped";
        const string Secret = "Okta-Sync-P4ss!";
        var token = await silo.CreateTenantAsync(Tenant);
        using var created = await silo.Scim(HttpMethod.Post, Tenant, token, "/Users", $$"""{"userName":"p@example.com","password":"{{Secret}}1"}""");
        var user = await ScimAssert.Ok(created, HttpStatusCode.Created);
        var id = user.GetProperty("id").GetString();
        Assert.DoesNotContain(Secret, user.GetRawText(), StringComparison.Ordinal);
        var replaced = await ScimAssert.Ok(await silo.Scim(HttpMethod.Put, Tenant, token, $"/Users/{id}", $$"""{"userName":"p@example.com","password":"{{Secret}}2"}"""));
        Assert.DoesNotContain(Secret, replaced.GetRawText(), StringComparison.Ordinal);
        using var patched = await silo.Scim(HttpMethod.Patch, Tenant, token, $"/Users/{id}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"password":"{{Secret}}3"} },{"op":"replace","path":"password","value":"{{Secret}}4"}]}""");
        Assert.DoesNotContain(Secret, (await ScimAssert.Ok(patched)).GetRawText(), StringComparison.Ordinal);
        var listed = await silo.Scim(HttpMethod.Get, Tenant, token, "/Users?attributes=password");
        Assert.DoesNotContain(Secret, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var config = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/ServiceProviderConfig"));
        Assert.False(config.GetProperty("changePassword").GetProperty("supported").GetBoolean());

        // Nor is it anywhere on disk: every file of the node's data folder (database, WAL) is searched for it.
        foreach (var file in Directory.EnumerateFiles(silo.DataFolder, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.True(copy.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) < 0, $"{file} holds the password");
        }
    }

    [Theory]
    [InlineData("/Users")]
    [InlineData("/ServiceProviderConfig")]
    [InlineData("/Schemas")]
    public async Task Head_ResourceOrDiscovery_GetsHeadersWithoutBody(string path)
    {
        // RFC 9110 §9.3.2: HEAD is GET without the content.
        const string Tenant = "head-requests";
        var token = await silo.CreateTenantAsync(Tenant);
        using var get = await silo.Scim(HttpMethod.Get, Tenant, token, path);
        using var head = await silo.Scim(HttpMethod.Head, Tenant, token, path);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/scim+json", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.StatusCode, head.StatusCode);
    }

    [Fact]
    public async Task Head_OneUser_ETagAsGetWouldSendIt()
    {
        const string Tenant = "head-user";
        var token = await silo.CreateTenantAsync(Tenant);
        var id = (await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/Users", """{"userName":"h@example.com"}"""), HttpStatusCode.Created)).GetProperty("id").GetString();
        using var head = await silo.Scim(HttpMethod.Head, Tenant, token, $"/Users/{id}");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("W/\"1\"", head.Headers.ETag?.ToString());
        using var missing = await silo.Scim(HttpMethod.Head, Tenant, token, "/Users/2819c223000000000000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("/Users", "GET, POST, HEAD, OPTIONS")]
    [InlineData("/Users/{id}", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS")]
    [InlineData("/Bulk", "POST, OPTIONS")]
    [InlineData("/ServiceProviderConfig", "GET, HEAD, OPTIONS")]
    public async Task Options_KnownPath_204WithAllow(string path, string allowed)
    {
        const string Tenant = "options-requests";
        var token = await silo.CreateTenantAsync(Tenant);
        using var response = await silo.Scim(HttpMethod.Options, Tenant, token, path.Replace("{id}", "2819c223000000000000000000000000", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task WrongMethod_405_NamesTheAllowedOnes()
    {
        // RFC 9110 §15.5.6: a 405 carries Allow.
        const string Tenant = "allow-on-405";
        var token = await silo.CreateTenantAsync(Tenant);
        using var response = await silo.Scim(HttpMethod.Delete, Tenant, token, "/Users");
        await ScimAssert.Error(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("GET, POST, HEAD, OPTIONS", string.Join(", ", response.Content.Headers.Allow));
    }
}
