using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.TenantAdmin.Activity;

namespace RfpioGateway.Silo.Tests;

/// <summary><c>POST /Bulk</c> as RFC 7644 §3.7 describes it, through real HTTP on the SQLite default.</summary>
[Collection(SiloCollection.Name)]
public sealed class BulkTests(SiloServer silo)
{
    private const string BulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private async Task<JsonElement> BulkAsync(string tenant, string token, string operations, string extra = "")
    {
        using var response = await silo.Scim(HttpMethod.Post, tenant, token, "/Bulk",
            $$"""{"schemas":["{{BulkRequest}}"]{{extra}},"Operations":{{operations}}}""");
        var body = await ScimAssert.Ok(response);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:BulkResponse", body.GetProperty("schemas")[0].GetString());
        return body;
    }

    private static JsonElement[] Results(JsonElement body) => [.. body.GetProperty("Operations").EnumerateArray()];

    private static string IdOf(JsonElement result) => result.GetProperty("location").GetString()!.Split('/')[^1];

    [Fact]
    public async Task Bulk_UsersAndGroupWithBulkIdMembers_CreatesAllAndResolvesReferences()
    {
        // §3.7.2: a group's members created in the same request, the group listed first; it waits for them.
        const string Tenant = "bulk-refs";
        var token = await silo.CreateTenantAsync(Tenant);
        var body = await BulkAsync(Tenant, token, """
            [{"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Tour Guides","members":[{"value":"bulkId:a"},{"value":"bulkId:b"}]}},
             {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"alice@example.com"}},
             {"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"bob@example.com"}}]
            """);
        var results = Results(body);
        Assert.Equal(["g", "a", "b"], results.Select(r => r.GetProperty("bulkId").GetString()));
        Assert.All(results, r => Assert.Equal("201", r.GetProperty("status").GetString()));
        Assert.All(results, r => Assert.StartsWith("W/\"", r.GetProperty("version").GetString(), StringComparison.Ordinal));
        Assert.All(results, r => Assert.False(r.TryGetProperty("response", out _)));

        var group = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups/{IdOf(results[0])}"));
        var members = group.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("value").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { IdOf(results[1]), IdOf(results[2]) }.Order(StringComparer.Ordinal), members);
    }

    [Fact]
    public async Task Bulk_CircularManagers_BothCreatedWithEachOthersIds()
    {
        // §3.7.1: circular references are resolved; here through the enterprise manager of two users.
        const string Tenant = "bulk-cycle";
        var token = await silo.CreateTenantAsync(Tenant);
        var body = await BulkAsync(Tenant, token, $$"""
            [{"method":"POST","path":"/Users","bulkId":"x","data":{"userName":"x@example.com","{{Enterprise}}":{"department":"Tours","manager":{"value":"bulkId:y"} } } },
             {"method":"POST","path":"/Users","bulkId":"y","data":{"userName":"y@example.com","{{Enterprise}}":{"manager":{"value":"bulkId:x"} } } }]
            """);
        var results = Results(body);
        Assert.All(results, r => Assert.Equal("201", r.GetProperty("status").GetString()));
        var (x, y) = (IdOf(results[0]), IdOf(results[1]));
        var userX = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{x}"));
        var userY = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{y}"));
        Assert.Equal(y, userX.GetProperty(Enterprise).GetProperty("manager").GetProperty("value").GetString());
        Assert.Equal("Tours", userX.GetProperty(Enterprise).GetProperty("department").GetString());
        Assert.Equal(x, userY.GetProperty(Enterprise).GetProperty("manager").GetProperty("value").GetString());
        // The version the response gives is the one the resource has now (after the PATCH that closed the cycle).
        using var current = await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{x}");
        Assert.Equal(current.Headers.ETag!.ToString(), results[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task Bulk_ReferencesChainedBackwards_EachWaitsForTheOneItNames()
    {
        // Operation i names bulkId i+1, so the last runs first and each pass frees one more.
        const string Tenant = "bulk-chain";
        const int Length = 50;
        var token = await silo.CreateTenantAsync(Tenant);
        var operations = string.Join(",", Enumerable.Range(0, Length).Select(i => i == Length - 1
            ? $$"""{"method":"POST","path":"/Users","bulkId":"u{{i}}","data":{"userName":"chain{{i}}@example.com"} }"""
            : $$"""{"method":"POST","path":"/Users","bulkId":"u{{i}}","data":{"userName":"chain{{i}}@example.com","{{Enterprise}}":{"manager":{"value":"bulkId:u{{i + 1}}"} } } }"""));
        var results = Results(await BulkAsync(Tenant, token, $"[{operations}]"));
        Assert.All(results, r => Assert.Equal("201", r.GetProperty("status").GetString()));
        var ids = results.Select(IdOf).ToArray();
        var first = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{ids[0]}"));
        Assert.Equal(ids[1], first.GetProperty(Enterprise).GetProperty("manager").GetProperty("value").GetString());
        var middle = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{ids[Length / 2]}"));
        Assert.Equal(ids[Length / 2 + 1], middle.GetProperty(Enterprise).GetProperty("manager").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Bulk_PutPatchDeleteWithVersions_EachObeysItsIfMatch()
    {
        // §3.7: "version" is the operation's ETag; a stale one fails that operation alone (412), the others apply.
        const string Tenant = "bulk-versions";
        var token = await silo.CreateTenantAsync(Tenant);
        var created = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/Users", """{"userName":"v@example.com"}"""), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var other = (await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/Users", """{"userName":"w@example.com"}"""), HttpStatusCode.Created)).GetProperty("id").GetString();
        var body = await BulkAsync(Tenant, token, $$"""
            [{"method":"PUT","path":"/Users/{{id}}","version":"W/\"1\"","data":{"userName":"v@example.com","title":"Guide"} },
             {"method":"PATCH","path":"/Users/{{id}}","version":"W/\"1\"","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Stale"}]} },
             {"method":"PATCH","path":"/Users/{{id}}","version":"W/\"2\"","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Lead"}]} },
             {"method":"DELETE","path":"/Users/{{other}}"}]
            """);
        var results = Results(body);
        Assert.Equal(["200", "412", "200", "204"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("W/\"2\"", results[0].GetProperty("version").GetString());
        Assert.Equal("412", results[1].GetProperty("response").GetProperty("status").GetString());
        Assert.EndsWith($"/Users/{other}", results[3].GetProperty("location").GetString(), StringComparison.Ordinal);
        var user = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{id}"));
        Assert.Equal("Lead", user.GetProperty("title").GetString());
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{other}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bulk_FailOnErrors_StopsAfterThatManyAndListsOnlyWhatRan()
    {
        // §3.7.3: after failOnErrors errors the service provider stops; the operations not listed did not run.
        const string Tenant = "bulk-fail-on-errors";
        var token = await silo.CreateTenantAsync(Tenant);
        var body = await BulkAsync(Tenant, token, """
            [{"method":"POST","path":"/Users","bulkId":"1","data":{"userName":"dup@example.com"}},
             {"method":"POST","path":"/Users","bulkId":"2","data":{"userName":"dup@example.com"}},
             {"method":"POST","path":"/Users","bulkId":"3","data":{"displayName":"no userName"}},
             {"method":"POST","path":"/Users","bulkId":"4","data":{"userName":"never@example.com"}}]
            """, extra: ""","failOnErrors":2""");
        var results = Results(body);
        Assert.Equal(["201", "409", "400"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("uniqueness", results[1].GetProperty("response").GetProperty("scimType").GetString());
        Assert.False(results[1].TryGetProperty("location", out _));
        var never = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Users?filter=userName+eq+%22never@example.com%22"));
        Assert.Equal(0, never.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task Bulk_ReferenceToFailedOrUnknownBulkId_ThatOperationConflictsOthersApply()
    {
        const string Tenant = "bulk-broken-refs";
        var token = await silo.CreateTenantAsync(Tenant);
        var body = await BulkAsync(Tenant, token, """
            [{"method":"POST","path":"/Users","bulkId":"bad","data":{"displayName":"no userName"}},
             {"method":"POST","path":"/Groups","bulkId":"g1","data":{"displayName":"Waits on a failure","members":[{"value":"bulkId:bad"}]}},
             {"method":"POST","path":"/Groups","bulkId":"g2","data":{"displayName":"Names nobody","members":[{"value":"bulkId:nobody"}]}},
             {"method":"PATCH","path":"/Groups/bulkId:nobody","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"x"}]}},
             {"method":"POST","path":"/Groups","bulkId":"g3","data":{"displayName":"Fine"}}]
            """);
        var results = Results(body);
        Assert.Equal(["400", "409", "409", "409", "201"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Contains("bulkId:bad", results[1].GetProperty("response").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("bulkId:nobody", results[2].GetProperty("response").GetProperty("detail").GetString(), StringComparison.Ordinal);
        var groups = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Groups"));
        Assert.Equal(["Fine"], groups.GetProperty("Resources").EnumerateArray().Select(g => g.GetProperty("displayName").GetString()));
    }

    [Fact]
    public async Task Bulk_PatchByBulkIdPath_AppliesToTheResourceCreatedEarlier()
    {
        // §3.7.2: a bulkId may stand for the resource in a later operation's path.
        const string Tenant = "bulk-path-ref";
        var token = await silo.CreateTenantAsync(Tenant);
        var body = await BulkAsync(Tenant, token, """
            [{"method":"PATCH","path":"/Users/bulkId:u","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Captain"}]}},
             {"method":"POST","path":"/Users","bulkId":"u","data":{"userName":"u@example.com"}}]
            """);
        var results = Results(body);
        Assert.Equal(["200", "201"], results.Select(r => r.GetProperty("status").GetString()));
        var user = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{IdOf(results[1])}"));
        Assert.Equal("Captain", user.GetProperty("title").GetString());
        Assert.Equal(IdOf(results[1]), IdOf(results[0]));
    }

    [Fact]
    public async Task Bulk_OverMaxOperations_413AndNothingRuns()
    {
        // §3.7.4: more operations than maxOperations is 413 Payload Too Large, and /ServiceProviderConfig says the limits.
        const string Tenant = "bulk-too-many";
        var token = await silo.CreateTenantAsync(Tenant);
        var config = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/ServiceProviderConfig"));
        var bulk = config.GetProperty("bulk");
        Assert.True(bulk.GetProperty("supported").GetBoolean());
        var max = bulk.GetProperty("maxOperations").GetInt32();
        Assert.True(bulk.GetProperty("maxPayloadSize").GetInt32() > 0);
        var operations = string.Join(",", Enumerable.Range(0, max + 1).Select(i => $$"""{"method":"POST","path":"/Users","bulkId":"b{{i}}","data":{"userName":"u{{i}}"} }"""));
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, Tenant, token, "/Bulk", $$"""{"schemas":["{{BulkRequest}}"],"Operations":[{{operations}}]}"""),
            HttpStatusCode.RequestEntityTooLarge);
        var users = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Users?count=0"));
        Assert.Equal(0, users.GetProperty("totalResults").GetInt32());
    }

    [Theory]
    [InlineData("""{"Operations":"no"}""", "invalidSyntax")]
    [InlineData("""{"Operations":[{"method":"GET","path":"/Users"}]}""", "invalidValue")]
    [InlineData("""{"Operations":[{"method":"POST","path":"/Users","data":{"userName":"a"}}]}""", "invalidValue")]
    [InlineData("""{"Operations":[{"method":"POST","path":"/Users","bulkId":"1","data":{"userName":"a"}},{"method":"POST","path":"/Users","bulkId":"1","data":{"userName":"b"}}]}""", "invalidValue")]
    [InlineData("""{"failOnErrors":0,"Operations":[]}""", "invalidValue")]
    [InlineData("""{"Operations":[""", "invalidSyntax")]
    public async Task Bulk_MalformedRequest_400AndNothingRuns(string body, string scimType)
    {
        const string Tenant = "bulk-malformed";
        var token = await silo.CreateTenantAsync(Tenant);
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, Tenant, token, "/Bulk", body), HttpStatusCode.BadRequest, scimType);
        var users = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Users?count=0"));
        Assert.Equal(0, users.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task Bulk_BadPathOrNestedBulk_ThatOperationIsInvalidPath()
    {
        const string Tenant = "bulk-bad-path";
        var token = await silo.CreateTenantAsync(Tenant);
        var body = await BulkAsync(Tenant, token, """
            [{"method":"POST","path":"/Bulk","bulkId":"n","data":{"Operations":[]}},
             {"method":"DELETE","path":"/Users"},
             {"method":"POST","path":"/Devices","bulkId":"d","data":{}},
             {"method":"DELETE","path":"/Users/not-an-id"}]
            """);
        var results = Results(body);
        Assert.Equal(["400", "400", "400", "404"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.All(results.Take(3), r => Assert.Equal("invalidPath", r.GetProperty("response").GetProperty("scimType").GetString()));
    }

    [Fact]
    public async Task Bulk_ProvisioningSwitchedOff_403AndNothingRuns()
    {
        // Each operation obeys what the same request alone would: with the switch off, the request is refused whole.
        const string Tenant = "bulk-switched-off";
        var token = await silo.CreateTenantAsync(Tenant, enabled: false);
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, Tenant, token, "/Bulk",
            """{"Operations":[{"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"a"}}]}"""), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bulk_Operations_EachRecordedInTheActivityLog()
    {
        const string Tenant = "bulk-activity";
        var token = await silo.CreateTenantAsync(Tenant);
        await BulkAsync(Tenant, token, """
            [{"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"a@example.com"}},
             {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"G","members":[{"value":"bulkId:a"}]}}]
            """);
        await silo.Services.GetRequiredService<ActivityRecorder>().FlushAsync();
        var log = await ScimAssert.Json(await silo.Admin(HttpMethod.Get, $"/admin/v1/tenants/{Tenant}/activity"));
        var operations = log.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("operation").GetString()).ToList();
        Assert.Contains("Users.Create", operations);
        Assert.Contains("Groups.Create", operations);
        Assert.Contains("Bulk", operations);
    }
}
