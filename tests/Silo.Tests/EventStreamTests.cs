using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Change events through the operator API: a poll stream (RFC 8936) hands out SETs (RFC 8417) with RFC 9967's event
/// URIs for every SCIM change, signed with a key the JWKS publishes (verified here with the BCL, not the library that
/// signs), in order, until acknowledged.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class EventStreamTests(SiloServer silo)
{
    private const string Prov = "urn:ietf:params:scim:event:prov:";

    [Fact]
    public async Task Poll_AfterCreatePatchDeactivateDelete_SignedSetsInOrderWithTheirEventUris()
    {
        var token = await silo.CreateTenantAsync("events-order");
        var stream = await CreateStreamAsync("events-order", """{"delivery":"poll"}""");
        var id = await CreateUserAsync("events-order", token, "ada@example.com");
        await PatchAsync("events-order", token, id, """{"op":"replace","path":"displayName","value":"Ada"}""");
        await PatchAsync("events-order", token, id, """{"op":"replace","path":"active","value":false}""");
        Assert.Equal(HttpStatusCode.NoContent, (await silo.Scim(HttpMethod.Delete, "events-order", token, $"/Users/{id}")).StatusCode);

        var sets = await PollAsync("events-order", stream, """{"maxEvents":10,"returnImmediately":true}""");

        var keys = await JwksAsync();
        var claims = sets.Select(s => Verify(s.Value, keys)).ToList();
        Assert.Equal([Prov + "create:notice", Prov + "patch:notice", Prov + "deactivate", Prov + "delete"],
            claims.Select(c => c.GetProperty("events").EnumerateObject().Single().Name));
        Assert.All(claims, c => Assert.Equal($"/Users/{id}", c.GetProperty("sub_id").GetProperty("uri").GetString()));
        Assert.All(claims, c => Assert.Equal("scim", c.GetProperty("sub_id").GetProperty("format").GetString()));
        Assert.All(claims, c => Assert.Equal("https://events-order.rfpio.com/rfpserver/scim/v2", c.GetProperty("iss").GetString()));
        Assert.Equal(sets.Keys, claims.Select(c => c.GetProperty("jti").GetString()!));
        Assert.All(claims, c => Assert.Matches("^[0-9a-f]{32}$", c.GetProperty("txn").GetString()));
        var patch = claims[1].GetProperty("events").GetProperty(Prov + "patch:notice");
        Assert.Equal(["displayName"], patch.GetProperty("attributes").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("W/\"2\"", patch.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Poll_AfterPutAndReactivation_PutNoticeAndActivate()
    {
        var token = await silo.CreateTenantAsync("events-put");
        var id = await CreateUserAsync("events-put", token, "put@example.com");
        var stream = await CreateStreamAsync("events-put", """{"delivery":"poll"}""");
        await Json(await silo.Scim(HttpMethod.Put, "events-put", token, $"/Users/{id}", """{"userName":"put@example.com","title":"Engineer","active":true}"""));
        await PatchAsync("events-put", token, id, """{"op":"replace","path":"active","value":false}""");
        await PatchAsync("events-put", token, id, """{"op":"replace","path":"active","value":true}""");

        var claims = (await PollAsync("events-put", stream, """{"maxEvents":10,"returnImmediately":true}""")).Values.Select(s => Verify(s, JwksAsync().Result)).ToList();

        Assert.Equal([Prov + "put:notice", Prov + "deactivate", Prov + "activate"],
            claims.Select(c => c.GetProperty("events").EnumerateObject().Single().Name));
        Assert.Equal(["title"], claims[0].GetProperty("events").GetProperty(Prov + "put:notice").GetProperty("attributes").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Poll_WithoutAck_SameSetsAgain_AfterAck_TheRest()
    {
        var token = await silo.CreateTenantAsync("events-ack");
        var stream = await CreateStreamAsync("events-ack", """{"delivery":"poll"}""");
        foreach (var name in new[] { "a", "b", "c" })
        {
            await CreateUserAsync("events-ack", token, $"{name}@example.com");
        }

        var first = await PollFullAsync("events-ack", stream, """{"maxEvents":2,"returnImmediately":true}""");
        var again = await PollFullAsync("events-ack", stream, """{"maxEvents":2,"returnImmediately":true}""");
        Assert.True(first.GetProperty("moreAvailable").GetBoolean());
        var jtis = first.GetProperty("sets").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(jtis, again.GetProperty("sets").EnumerateObject().Select(p => p.Name));

        var rest = await PollFullAsync("events-ack", stream, JsonSerializer.Serialize(new { ack = jtis, maxEvents = 10, returnImmediately = true }));
        var last = Assert.Single(rest.GetProperty("sets").EnumerateObject());
        Assert.False(rest.GetProperty("moreAvailable").GetBoolean());
        Assert.DoesNotContain(last.Name, jtis);

        var done = await PollFullAsync("events-ack", stream, JsonSerializer.Serialize(new { ack = new[] { last.Name }, returnImmediately = true }));
        Assert.Empty(done.GetProperty("sets").EnumerateObject());
        var status = await Json(await silo.Admin(HttpMethod.Get, $"/admin/v1/tenants/events-ack/streams/{stream}"));
        Assert.Equal(0, status.GetProperty("status").GetProperty("lag").GetInt64());
    }

    [Fact]
    public async Task Poll_SetErrs_AcknowledgesAndRecordsTheError()
    {
        var token = await silo.CreateTenantAsync("events-errs");
        var stream = await CreateStreamAsync("events-errs", """{"delivery":"poll"}""");
        await CreateUserAsync("events-errs", token, "err@example.com");
        var jti = (await PollAsync("events-errs", stream, """{"returnImmediately":true}""")).Keys.Single();

        var after = await PollFullAsync("events-errs", stream,
            $$$"""{"setErrs":{"{{{jti}}}":{"err":"invalid_key","description":"no such key"}},"returnImmediately":true}""");

        Assert.Empty(after.GetProperty("sets").EnumerateObject());
        var status = (await Json(await silo.Admin(HttpMethod.Get, $"/admin/v1/tenants/events-errs/streams/{stream}"))).GetProperty("status");
        Assert.Equal(1, status.GetProperty("errors").GetInt64());
        Assert.Contains("invalid_key", status.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_LongPoll_AnswersWithTheEventThatArrives()
    {
        var token = await silo.CreateTenantAsync("events-wait");
        var stream = await CreateStreamAsync("events-wait", """{"delivery":"poll"}""");

        var waiting = PollAsync("events-wait", stream, """{"maxEvents":5}""");
        await CreateUserAsync("events-wait", token, "late@example.com");

        var set = Assert.Single(await waiting);
        Assert.Equal(Prov + "create:notice", Verify(set.Value, await JwksAsync()).GetProperty("events").EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task Patch_ThatChangesNothing_YieldsNoEvent_FullStream_CarriesTheResource()
    {
        var token = await silo.CreateTenantAsync("events-full");
        var stream = await CreateStreamAsync("events-full", $$"""{"delivery":"poll","format":"full","events":["{{Prov}}create:full"]}""");
        var id = await CreateUserAsync("events-full", token, "full@example.com");
        await PatchAsync("events-full", token, id, """{"op":"replace","path":"active","value":true}""");

        var set = Assert.Single(await PollAsync("events-full", stream, """{"maxEvents":10,"returnImmediately":true}"""));
        var data = Verify(set.Value, await JwksAsync()).GetProperty("events").GetProperty(Prov + "create:full").GetProperty("data");
        Assert.Equal("full@example.com", data.GetProperty("userName").GetString());
        Assert.Equal(id, data.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("""{"delivery":"push"}""", "endpoint")]
    [InlineData("""{"delivery":"poll","events":["urn:example:nope"]}""", "urn:example:nope")]
    [InlineData("""{"delivery":"poll","format":"everything"}""", "format")]
    [InlineData("""[1,2]""", "JSON object")]
    public async Task CreateStream_Unsupported_400NamingWhy(string body, string named)
    {
        await silo.CreateTenantAsync("events-bad");

        var response = await silo.Admin(HttpMethod.Post, "/admin/v1/tenants/events-bad/streams", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_AckOfAnotherTenantsJti_AcknowledgesNothing()
    {
        var token = await silo.CreateTenantAsync("events-own");
        var stream = await CreateStreamAsync("events-own", """{"delivery":"poll"}""");
        await CreateUserAsync("events-own", token, "own@example.com");
        var jti = (await PollAsync("events-own", stream, """{"returnImmediately":true}""")).Keys.Single();
        var sequence = jti.Split(':')[1];

        var after = await PollAsync("events-own", stream, $$"""{"ack":["other-tenant:{{sequence}}"],"returnImmediately":true}""");

        Assert.Equal([jti], after.Keys);
    }

    [Fact]
    public async Task Poll_GroupCreateMembershipRenameDelete_GroupSetsNamingWhatChanged()
    {
        const string Tenant = "events-groups";
        var token = await silo.CreateTenantAsync(Tenant);
        var user = await CreateUserAsync(Tenant, token, "member@example.com");
        var stream = await CreateStreamAsync(Tenant, """{"delivery":"poll"}""");
        var created = await Json(await silo.Scim(HttpMethod.Post, Tenant, token, "/Groups", """{"displayName":"Evented"}"""));
        var group = created.GetProperty("id").GetString()!;
        var patch = (string operation) => silo.Scim(HttpMethod.Patch, Tenant, token, $"/Groups/{group}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{operation}}]}""");
        Assert.Equal(HttpStatusCode.NoContent, (await patch($$"""{"op":"Add","path":"members","value":[{"value":"{{user}}"}]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await patch($$"""{"op":"Add","path":"members","value":[{"value":"{{user}}"}]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await patch("""{"op":"Replace","path":"displayName","value":"Renamed"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await silo.Scim(HttpMethod.Delete, Tenant, token, $"/Groups/{group}")).StatusCode);

        var keys = await JwksAsync();
        var claims = (await PollAsync(Tenant, stream, """{"maxEvents":10,"returnImmediately":true}""")).Values.Select(s => Verify(s, keys)).ToList();

        Assert.Equal([Prov + "create:notice", Prov + "patch:notice", Prov + "patch:notice", Prov + "delete"],
            claims.Select(c => c.GetProperty("events").EnumerateObject().Single().Name));
        Assert.All(claims, c => Assert.Equal($"/Groups/{group}", c.GetProperty("sub_id").GetProperty("uri").GetString()));
        Assert.Equal(["members"], claims[1].GetProperty("events").GetProperty(Prov + "patch:notice").GetProperty("attributes").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["displayName"], claims[2].GetProperty("events").GetProperty(Prov + "patch:notice").GetProperty("attributes").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Resume_FromASequence_HandsOutTheSameSetsAgain_BadFromRefused()
    {
        const string Tenant = "events-redeliver";
        var token = await silo.CreateTenantAsync(Tenant);
        var stream = await CreateStreamAsync(Tenant, """{"delivery":"poll"}""");
        foreach (var name in new[] { "a", "b", "c" })
        {
            await CreateUserAsync(Tenant, token, $"{name}@example.com");
        }
        var first = await PollAsync(Tenant, stream, """{"maxEvents":10,"returnImmediately":true}""");
        Assert.Empty(await PollAsync(Tenant, stream, JsonSerializer.Serialize(new { ack = first.Keys, maxEvents = 10, returnImmediately = true })));

        var resumed = await silo.Admin(HttpMethod.Post, $"/admin/v1/tenants/{Tenant}/streams/{stream}/resume", """{"from":2}""");
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        var again = await PollAsync(Tenant, stream, """{"maxEvents":10,"returnImmediately":true}""");

        Assert.Equal(first.Keys.Skip(1), again.Keys);
        Assert.Equal(first.Keys.Skip(1).Select(k => Claims(first[k])), again.Keys.Select(k => Claims(again[k])));
        var refused = await silo.Admin(HttpMethod.Post, $"/admin/v1/tenants/{Tenant}/streams/{stream}/resume", """{"from":"two"}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("from", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A SET's claims without its issue time, which a redelivery signs anew.</summary>
    private static string Claims(string jws)
    {
        var claims = System.Text.Json.Nodes.JsonNode.Parse(Base64Url(jws.Split('.')[1]))!.AsObject();
        claims.Remove("iat");
        return claims.ToJsonString();
    }

    private async Task<string> CreateStreamAsync(string tenant, string body)
    {
        var created = await silo.Admin(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/streams", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<string> CreateUserAsync(string tenant, string token, string userName)
    {
        var response = await silo.Scim(HttpMethod.Post, tenant, token, "/Users", $$"""{"userName":"{{userName}}","active":true}""");
        return (await Json(response)).GetProperty("id").GetString()!;
    }

    private async Task PatchAsync(string tenant, string token, string id, string operation) =>
        await Json(await silo.Scim(HttpMethod.Patch, tenant, token, $"/Users/{id}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{operation}}]}"""));

    private async Task<Dictionary<string, string>> PollAsync(string tenant, string stream, string body) =>
        (await PollFullAsync(tenant, stream, body)).GetProperty("sets").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    private async Task<JsonElement> PollFullAsync(string tenant, string stream, string body) =>
        await Json(await silo.Admin(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/streams/{stream}/poll", body));

    private async Task<Dictionary<string, ECDsa>> JwksAsync()
    {
        var jwks = await Json(await silo.Admin(HttpMethod.Get, "/admin/v1/jwks"));
        return jwks.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("kid").GetString()!, k => ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url(k.GetProperty("x").GetString()!), Y = Base64Url(k.GetProperty("y").GetString()!) },
        }));
    }

    /// <summary>Checks a compact JWS (ES256, typ secevent+jwt, a kid of the JWKS) and returns its claims.</summary>
    private static JsonElement Verify(string jws, Dictionary<string, ECDsa> keys)
    {
        var parts = jws.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonSerializer.Deserialize<JsonElement>(Base64Url(parts[0]));
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("secevent+jwt", header.GetProperty("typ").GetString());
        var key = keys[header.GetProperty("kid").GetString()!];
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256),
            "the SET's signature does not verify against the JWKS");
        var claims = JsonSerializer.Deserialize<JsonElement>(Base64Url(parts[1]));
        Assert.False(claims.TryGetProperty("exp", out _), "a SET has no exp (RFC 8417 §2.2)");
        return claims;
    }

    private static byte[] Base64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4));

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
