using System.Net;
using System.Text.Json;

namespace RfpioGateway.Silo.Tests;

/// <summary>Queries at the base URL across resource types (RFC 7644 §3.4.2, §3.4.3), through real HTTP.</summary>
[Collection(SiloCollection.Name)]
public sealed class RootSearchTests(SiloServer silo)
{
    private async Task<(string Token, string[] Users, string[] Groups)> SeedAsync(string tenant)
    {
        var token = await silo.CreateTenantAsync(tenant);
        var users = new string[3];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = (await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, "/Users",
                $$"""{"userName":"user{{i}}@example.com","displayName":"Shared {{i}}","externalId":"ext-u{{i}}"}"""), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }
        var groups = new string[2];
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = (await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, "/Groups",
                $$"""{"displayName":"Shared group {{i}}","externalId":"ext-g{{i}}"}"""), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }
        return (token, users, groups);
    }

    private static string[] Ids(JsonElement list) => [.. list.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];

    [Fact]
    public async Task RootSearch_FilterOnSharedAttribute_ReturnsBothTypesTellingThemApart()
    {
        // §3.4.3: POST /.search at the root searches every type; each result says what it is.
        const string Tenant = "root-shared";
        var (token, users, groups) = await SeedAsync(Tenant);
        var body = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/.search",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName sw \"Shared\"","count":10}"""));
        Assert.Equal(5, body.GetProperty("totalResults").GetInt32());
        var resources = body.GetProperty("Resources").EnumerateArray().ToList();
        Assert.Equal(users.Order(StringComparer.Ordinal).Concat(groups.Order(StringComparer.Ordinal)),
            resources.Select(r => r.GetProperty("id").GetString()).Take(3).Order(StringComparer.Ordinal).Concat(resources.Skip(3).Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal)));
        Assert.Equal(["User", "User", "User", "Group", "Group"], resources.Select(r => r.GetProperty("meta").GetProperty("resourceType").GetString()));
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:Group", resources[3].GetProperty("schemas")[0].GetString());
    }

    [Fact]
    public async Task RootList_AttributeOfOneTypeOnly_OthersTreatedAsUnassigned()
    {
        // §3.4.2: "for filtered attributes that are not part of a particular resource type, the service provider
        // SHALL treat the attribute as if there is no attribute value" — userName matches no group; not (…) all of them.
        const string Tenant = "root-one-type";
        var (token, users, groups) = await SeedAsync(Tenant);
        var only = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/?filter=userName+eq+%22user1@example.com%22"));
        Assert.Equal([users[1]], Ids(only));
        var negated = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/?filter=not+(userName+pr)"));
        Assert.Equal(groups.Order(StringComparer.Ordinal), Ids(negated).Order(StringComparer.Ordinal));
        var either = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/?filter=userName+eq+%22user0@example.com%22+or+externalId+eq+%22ext-g1%22"));
        Assert.Equal(new[] { users[0], groups[1] }, Ids(either));
    }

    [Fact]
    public async Task RootList_PagesOverTheUnion_NoneSkippedNoneRepeated()
    {
        const string Tenant = "root-paging";
        var (token, users, groups) = await SeedAsync(Tenant);
        var seen = new List<string>();
        for (var start = 1; start <= 5; start += 2)
        {
            var page = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/?startIndex={start}&count=2"));
            Assert.Equal(5, page.GetProperty("totalResults").GetInt32());
            Assert.Equal(start, page.GetProperty("startIndex").GetInt32());
            seen.AddRange(Ids(page));
        }
        Assert.Equal(users.Concat(groups).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task RootSearch_SortByCommonAttribute_MergesTypes()
    {
        const string Tenant = "root-sorted";
        var (token, _, _) = await SeedAsync(Tenant);
        var body = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/.search",
            """{"sortBy":"externalId","sortOrder":"descending","startIndex":2,"count":3,"attributes":["externalId"]}"""));
        Assert.Equal(5, body.GetProperty("totalResults").GetInt32());
        var externalIds = body.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("externalId").GetString()!).ToArray();
        Assert.Equal(["ext-u1", "ext-u0", "ext-g1"], externalIds);
        Assert.False(body.GetProperty("Resources")[0].TryGetProperty("userName", out _));
    }

    [Fact]
    public async Task RootSearch_AttributesOfOneType_OtherTypeShowsOnlyWhatIsAlwaysReturned()
    {
        const string Tenant = "root-projection";
        var (token, _, _) = await SeedAsync(Tenant);
        var body = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/?attributes=userName"));
        var resources = body.GetProperty("Resources").EnumerateArray().ToList();
        Assert.All(resources.Take(3), r => Assert.True(r.TryGetProperty("userName", out _)));
        Assert.All(resources.Skip(3), r =>
        {
            Assert.True(r.TryGetProperty("id", out _));
            Assert.False(r.TryGetProperty("displayName", out _));
            Assert.False(r.TryGetProperty("members", out _));
        });
    }

    [Theory]
    [InlineData("/?filter=nickname2+eq+%22x%22", "invalidFilter")]
    [InlineData("/?attributes=emails[", "invalidValue")]
    [InlineData("/?sortBy=userName", "invalidValue")]
    [InlineData("/?filter=userName+eq", "invalidFilter")]
    public async Task RootList_NoTypeHasIt_400(string path, string scimType)
    {
        const string Tenant = "root-unknown";
        var token = await silo.CreateTenantAsync(Tenant);
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Tenant, token, path), HttpStatusCode.BadRequest, scimType);
    }
}
