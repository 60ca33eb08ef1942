using System.Net;
using System.Text.Json;

namespace RfpioGateway.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class UsersApiTests(SiloServer silo)
{
    private async Task<string> CreateAsync(string tenant, string token, string json)
    {
        var created = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, "/Users", json), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Create_Returns201WithLocationETagAndResource()
    {
        var token = await silo.CreateTenantAsync("users-create");
        using var response = await silo.Scim(HttpMethod.Post, "users-create", token, "/Users", """{"userName":"bjensen","name":{"givenName":"Barbara"}}""");
        var body = await ScimAssert.Ok(response, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        Assert.EndsWith($"/rfpserver/scim/v2/Users/{id}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("W/\"1\"", response.Headers.ETag!.ToString());
        Assert.Equal(body.GetProperty("meta").GetProperty("location").GetString(), response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Get_IfNoneMatchCurrent_NotModified()
    {
        var token = await silo.CreateTenantAsync("users-304");
        var id = await CreateAsync("users-304", token, """{"userName":"u"}""");
        using var response = await silo.Scim(HttpMethod.Get, "users-304", token, $"/Users/{id}", configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "W/\"1\""));
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task Patch_IfMatchStale_PreconditionFailed()
    {
        var token = await silo.CreateTenantAsync("users-412");
        var id = await CreateAsync("users-412", token, """{"userName":"u"}""");
        var patch = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"x"}]}""";
        using var stale = await silo.Scim(HttpMethod.Patch, "users-412", token, $"/Users/{id}", patch, configure: r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"7\""));
        await ScimAssert.Error(stale, HttpStatusCode.PreconditionFailed);
        using var current = await silo.Scim(HttpMethod.Patch, "users-412", token, $"/Users/{id}", patch, configure: r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"1\""));
        Assert.Equal("W/\"2\"", (await ScimAssert.Ok(current)).GetProperty("meta").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Create_ConcurrentSameUserNameInVaryingCase_ExactlyOneCreated()
    {
        var token = await silo.CreateTenantAsync("users-race");
        var names = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "Race@Example.com" : "RACE@example.COM");
        var responses = await Task.WhenAll(names.Select(n => silo.Scim(HttpMethod.Post, "users-race", token, "/Users", $$"""{"userName":"{{n}}"}""")));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(39, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var list = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-race", token, "/Users?filter=userName+eq+%22race%40example.com%22"));
        Assert.Equal(1, list.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task Rename_ToTakenName_ConflictAndFreedNameReusable()
    {
        var token = await silo.CreateTenantAsync("users-rename");
        var a = await CreateAsync("users-rename", token, """{"userName":"a"}""");
        await CreateAsync("users-rename", token, """{"userName":"b"}""");
        var toB = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"B"}]}""";
        await ScimAssert.Error(await silo.Scim(HttpMethod.Patch, "users-rename", token, $"/Users/{a}", toB), HttpStatusCode.Conflict, "uniqueness");
        var toC = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"c"}]}""";
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Patch, "users-rename", token, $"/Users/{a}", toC));
        await CreateAsync("users-rename", token, """{"userName":"A"}""");
        var byOld = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-rename", token, "/Users?filter=userName+eq+%22c%22"));
        Assert.Equal(a, byOld.GetProperty("Resources")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task List_PagesOverManyUsers_StableOrderExactTotalNoDuplicates()
    {
        var token = await silo.CreateTenantAsync("users-paging");
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            ids.Add(await CreateAsync("users-paging", token, $$"""{"userName":"user{{i:D2}}","displayName":"{{(i % 2 == 0 ? "Even" : "Odd")}} {{i}}"}"""));
        }
        var seen = new List<string>();
        for (var start = 1; start <= 25; start += 10)
        {
            var page = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-paging", token, $"/Users?startIndex={start}&count=10"));
            Assert.Equal(25, page.GetProperty("totalResults").GetInt32());
            Assert.Equal(start, page.GetProperty("startIndex").GetInt32());
            seen.AddRange(page.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
        }
        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(25, seen.Distinct().Count());
        var again = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-paging", token, "/Users?startIndex=11&count=10"));
        Assert.Equal(seen.Skip(10).Take(10), again.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));

        var filtered = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-paging", token, "/Users?filter=displayName+sw+%22even%22&count=100"));
        Assert.Equal(13, filtered.GetProperty("totalResults").GetInt32());
        var sorted = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-paging", token, "/Users?sortBy=userName&sortOrder=descending&count=3"));
        Assert.Equal(["user24", "user23", "user22"], sorted.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("userName").GetString()));
    }

    [Fact]
    public async Task Search_PostBody_SameAsQuery()
    {
        var token = await silo.CreateTenantAsync("users-search");
        await CreateAsync("users-search", token, """{"userName":"smith1","displayName":"Ann Smith"}""");
        await CreateAsync("users-search", token, """{"userName":"jones","displayName":"Bob Jones"}""");
        var body = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["displayName"],"filter":"displayName co \"smith\"","startIndex":1,"count":10}""";
        var result = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "users-search", token, "/Users/.search", body));
        Assert.Equal(1, result.GetProperty("totalResults").GetInt32());
        var user = result.GetProperty("Resources")[0];
        Assert.Equal("Ann Smith", user.GetProperty("displayName").GetString());
        Assert.False(user.TryGetProperty("userName", out _));
    }

    [Fact]
    public async Task Get_ExcludedAttributes_Omitted()
    {
        var token = await silo.CreateTenantAsync("users-project");
        var id = await CreateAsync("users-project", token, """{"userName":"u","emails":[{"value":"u@x"}],"title":"T"}""");
        var user = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-project", token, $"/Users/{id}?excludedAttributes=emails,meta"));
        Assert.False(user.TryGetProperty("emails", out _));
        Assert.False(user.TryGetProperty("meta", out _));
        Assert.Equal("T", user.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Tenants_MatrixOfTokensAndIds_NothingCrosses()
    {
        string[] tenants = ["iso-a", "iso-b", "iso-c"];
        var tokens = new Dictionary<string, string>();
        var users = new Dictionary<string, string>();
        foreach (var tenant in tenants)
        {
            tokens[tenant] = await silo.CreateTenantAsync(tenant);
            users[tenant] = await CreateAsync(tenant, tokens[tenant], """{"userName":"same@example.com","externalId":"same"}""");
        }
        foreach (var host in tenants)
        {
            foreach (var tokenOf in tenants)
            {
                foreach (var userOf in tenants)
                {
                    using var response = await silo.Scim(HttpMethod.Get, host, tokens[tokenOf], $"/Users/{users[userOf]}");
                    var expected = tokenOf != host ? HttpStatusCode.Unauthorized : userOf != host ? HttpStatusCode.NotFound : HttpStatusCode.OK;
                    Assert.True(expected == response.StatusCode, $"host {host}, token of {tokenOf}, user of {userOf}: {(int)response.StatusCode}");
                }
            }
            var list = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, host, tokens[host], "/Users"));
            Assert.Equal(1, list.GetProperty("totalResults").GetInt32());
            Assert.Equal(users[host], list.GetProperty("Resources")[0].GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Discovery_EndpointsServeCoreDocuments()
    {
        var token = await silo.CreateTenantAsync("users-discovery");
        var config = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-discovery", token, "/ServiceProviderConfig"));
        Assert.True(config.GetProperty("patch").GetProperty("supported").GetBoolean());
        var schemas = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-discovery", token, "/Schemas"));
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", schemas.GetProperty("schemas")[0].GetString());
        Assert.Contains(schemas.GetProperty("Resources").EnumerateArray(), s => s.GetProperty("id").GetString() == "urn:ietf:params:scim:schemas:core:2.0:User");
        var user = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-discovery", token, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"));
        Assert.Equal("User", user.GetProperty("name").GetString());
        var types = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-discovery", token, "/ResourceTypes/User"));
        Assert.Equal("/Users", types.GetProperty("endpoint").GetString());
        var groups = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-discovery", token, "/Groups?filter=displayName+eq+%22x%22"));
        Assert.Equal(0, groups.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task Filter_AfterRenameAndReuseOfAName_FindsTheCurrentHolder()
    {
        var token = await silo.CreateTenantAsync("users-hint");
        async Task<string[]> Find(string name)
        {
            var list = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "users-hint", token, $"/Users?filter=userName+eq+%22{name}%22"));
            return [.. list.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
        }
        var first = await CreateAsync("users-hint", token, """{"userName":"x"}""");
        Assert.Equal([first], await Find("x"));   // this silo now remembers x -> first
        var rename = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"y"}]}""";
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Patch, "users-hint", token, $"/Users/{first}", rename));
        Assert.Empty(await Find("x"));
        Assert.Equal([first], await Find("Y"));
        var second = await CreateAsync("users-hint", token, """{"userName":"X"}""");
        Assert.Equal([second], await Find("x"));
    }
}
