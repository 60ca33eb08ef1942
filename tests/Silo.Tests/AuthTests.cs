using System.Net;

namespace RfpioGateway.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class AuthTests(SiloServer silo)
{
    [Fact]
    public async Task Scim_UnknownTenantMissingOrWrongToken_SameUnauthorizedAnswer()
    {
        var token = await silo.CreateTenantAsync("auth-same");
        var answers = new List<string>();
        foreach (var (tenant, presented) in new[] { ("auth-nobody", token), ("auth-same", null), ("auth-same", token + "x"), ("auth-same", "rfpscim_guess") })
        {
            using var response = await silo.Scim(HttpMethod.Get, tenant, presented, "/Users");
            var body = await ScimAssert.Error(response, HttpStatusCode.Unauthorized);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            answers.Add(body.GetProperty("detail").GetString()!);
        }
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task Scim_ProvisioningSwitchedOff_ForbiddenSayingSo()
    {
        var token = await silo.CreateTenantAsync("auth-off", enabled: false);
        using var response = await silo.Scim(HttpMethod.Get, "auth-off", token, "/Users");
        var body = await ScimAssert.Error(response, HttpStatusCode.Forbidden);
        Assert.Contains("Auto User Provisioning", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scim_SwitchedOffThenOn_FollowsTheSwitch()
    {
        var token = await silo.CreateTenantAsync("auth-toggle");
        (await silo.Admin(HttpMethod.Put, "/admin/v1/tenants/auth-toggle/provisioning", """{"enabled":false}""")).EnsureSuccessStatusCode();
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, "auth-toggle", token, "/Users"), HttpStatusCode.Forbidden);
        (await silo.Admin(HttpMethod.Put, "/admin/v1/tenants/auth-toggle/provisioning", """{"enabled":true}""")).EnsureSuccessStatusCode();
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "auth-toggle", token, "/Users"));
    }

    [Fact]
    public async Task Scim_TokenOfAnotherTenant_Unauthorized()
    {
        var tokenA = await silo.CreateTenantAsync("auth-a");
        await silo.CreateTenantAsync("auth-b");
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "auth-a", tokenA, "/Users"));
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, "auth-b", tokenA, "/Users"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_Rotated_OldStopsNewWorks()
    {
        var old = await silo.CreateTenantAsync("auth-rotate");
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "auth-rotate", old, "/Users"));
        var fresh = await silo.IssueTokenAsync("auth-rotate");
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, "auth-rotate", old, "/Users"), HttpStatusCode.Unauthorized);
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "auth-rotate", fresh, "/Users"));
    }

    [Fact]
    public async Task Token_Revoked_Unauthorized()
    {
        var token = await silo.CreateTenantAsync("auth-revoke");
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "auth-revoke", token, "/Users"));
        Assert.Equal(HttpStatusCode.NoContent, (await silo.Admin(HttpMethod.Delete, "/admin/v1/tenants/auth-revoke/token")).StatusCode);
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, "auth-revoke", token, "/Users"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_Issued_HasScannablePrefixAndIsNeverShownAgain()
    {
        var token = await silo.CreateTenantAsync("auth-shown");
        Assert.StartsWith("rfpscim_", token, StringComparison.Ordinal);
        Assert.True(token.Length >= 8 + 43);
        var info = await (await silo.Admin(HttpMethod.Get, "/admin/v1/tenants/auth-shown")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, info, StringComparison.Ordinal);
        Assert.DoesNotContain(token[8..], info, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("-x")]
    [InlineData("x_y")]
    public async Task Scim_HostThatIsNotOneTenantLabel_NotFound(string label)
    {
        using var response = await silo.Scim(HttpMethod.Get, label, "t", "/Users");
        await ScimAssert.Error(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admin_WrongKey_Unauthorized()
    {
        using var response = await silo.Admin(HttpMethod.Put, "/admin/v1/tenants/auth-admin", key: "nope");
        await ScimAssert.Error(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Admin_TenantInfo_HasUrlFlagAndUserAndGroupCounts()
    {
        var token = await silo.CreateTenantAsync("auth-info");
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "auth-info", token, "/Users", """{"userName":"x@y.z"}"""), HttpStatusCode.Created);
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "auth-info", token, "/Groups", """{"displayName":"g1"}"""), HttpStatusCode.Created);
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "auth-info", token, "/Groups", """{"displayName":"g2"}"""), HttpStatusCode.Created);
        var info = await ScimAssert.Json(await silo.Admin(HttpMethod.Get, "/admin/v1/tenants/auth-info"));
        Assert.Equal("https://auth-info.rfpio.com/rfpserver/scim/v2", info.GetProperty("tenantUrl").GetString());
        Assert.True(info.GetProperty("provisioningEnabled").GetBoolean());
        Assert.Equal(1, info.GetProperty("userCount").GetInt32());
        Assert.Equal(2, info.GetProperty("groupCount").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.String, info.GetProperty("tokenIssuedAt").ValueKind);
    }

    [Theory]
    [InlineData("PUT", "/admin/v1/tenants/auth-badjson", "{not json")]
    [InlineData("PUT", "/admin/v1/tenants/auth-badjson/provisioning", "{not json")]
    [InlineData("PUT", "/admin/v1/tenants/auth-badjson/provisioning", "{\"enabled\":\"sometimes\"}")]
    public async Task Admin_MalformedBody_BadRequestNotServerError(string method, string path, string body)
    {
        await silo.CreateTenantAsync("auth-badjson");
        using var response = await silo.Admin(new HttpMethod(method), path, body);
        await ScimAssert.Error(response, HttpStatusCode.BadRequest, "invalidSyntax");
    }
}
