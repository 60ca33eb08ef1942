using System.Net;
using System.Text.Json;

namespace RfpioGateway.Silo.Tests;

/// <summary>Cursor paging (RFC 9865) next to index paging, through real HTTP on the SQLite default.</summary>
[Collection(SiloCollection.Name)]
public sealed class CursorPagingTests(SiloServer silo)
{
    private async Task<List<string>> UsersAsync(string tenant, string token, int count, string prefix = "user")
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add((await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, "/Users",
                $$"""{"userName":"{{prefix}}{{i}}@example.com","displayName":"{{prefix}} {{i}}"}"""), HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }
        return ids;
    }

    private static string[] Ids(JsonElement list) => [.. list.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];

    private static string? Next(JsonElement list) => list.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;

    [Fact]
    public async Task Walk_AllUsers_EachOnceAndTheLastPageHasNoNextCursor()
    {
        // RFC 9865 §2: an empty cursor asks for the first page; nextCursor is absent on the last.
        const string Tenant = "cursor-walk";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 23);
        var seen = new List<string>();
        var cursor = "";
        var pages = 0;
        do
        {
            var page = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users?count=5&cursor={Uri.EscapeDataString(cursor)}"));
            Assert.Equal(23, page.GetProperty("totalResults").GetInt32());
            Assert.False(page.TryGetProperty("startIndex", out _));
            Assert.Equal(page.GetProperty("Resources").GetArrayLength(), page.GetProperty("itemsPerPage").GetInt32());
            seen.AddRange(Ids(page));
            cursor = Next(page);
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(5, pages);
        Assert.Equal(users.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Walk_WhileUsersAreCreatedAndDeleted_NoneThatExistedThroughoutSkippedOrRepeated()
    {
        const string Tenant = "cursor-concurrent";
        var token = await silo.CreateTenantAsync(Tenant);
        var stable = await UsersAsync(Tenant, token, 30, "stable");
        var doomed = await UsersAsync(Tenant, token, 10, "doomed");
        var seen = new List<string>();
        var cursor = "";
        var round = 0;
        do
        {
            var page = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/Users/.search", $$"""{"cursor":"{{cursor}}","count":4}"""));
            seen.AddRange(Ids(page));
            cursor = Next(page);
            // Between pages: two new users, and one of the doomed deleted.
            await UsersAsync(Tenant, token, 2, $"late{round}-");
            if (round < doomed.Count)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await silo.Scim(HttpMethod.Delete, Tenant, token, $"/Users/{doomed[round]}")).StatusCode);
            }
            round++;
        }
        while (cursor is not null);
        Assert.All(stable, id => Assert.Single(seen, id));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Walk_WithFilter_MatchesOnlyAndOmitsTotal()
    {
        const string Tenant = "cursor-filtered";
        var token = await silo.CreateTenantAsync(Tenant);
        var kept = await UsersAsync(Tenant, token, 7, "keep");
        await UsersAsync(Tenant, token, 6, "drop");
        var seen = new List<string>();
        var cursor = "";
        do
        {
            var page = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users?filter=displayName+sw+%22keep%22&count=3&cursor={Uri.EscapeDataString(cursor)}"));
            Assert.False(page.TryGetProperty("totalResults", out _));
            seen.AddRange(Ids(page));
            cursor = Next(page);
        }
        while (cursor is not null);
        Assert.Equal(kept.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Walk_GroupsOfAMember_PagesByGroupId()
    {
        const string Tenant = "cursor-member-of";
        var token = await silo.CreateTenantAsync(Tenant);
        var user = (await UsersAsync(Tenant, token, 1))[0];
        var groups = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            groups.Add((await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/Groups",
                $$"""{"displayName":"g{{i}}","members":[{"value":"{{user}}"}]}"""), HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }
        var first = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups?filter=members[value+eq+%22{user}%22]&count=3&cursor="));
        var second = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups?filter=members[value+eq+%22{user}%22]&count=3&cursor={Uri.EscapeDataString(Next(first)!)}"));
        Assert.Null(Next(second));
        Assert.Equal(groups.Order(StringComparer.Ordinal), Ids(first).Concat(Ids(second)));
    }

    [Fact]
    public async Task Cursor_FromAnotherTenantFilterOrTampered_InvalidCursor()
    {
        // RFC 9865 §2.3: a cursor the service cannot use is 400 invalidCursor.
        const string Tenant = "cursor-foreign";
        const string Other = "cursor-foreign-other";
        var token = await silo.CreateTenantAsync(Tenant);
        var otherToken = await silo.CreateTenantAsync(Other);
        await UsersAsync(Tenant, token, 3);
        await UsersAsync(Other, otherToken, 3);
        var next = Next(await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Users?count=1&cursor=")))!;

        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Other, otherToken, $"/Users?count=1&cursor={Uri.EscapeDataString(next)}"), HttpStatusCode.BadRequest, "invalidCursor");
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users?count=1&filter=userName+pr&cursor={Uri.EscapeDataString(next)}"), HttpStatusCode.BadRequest, "invalidCursor");
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups?count=1&cursor={Uri.EscapeDataString(next)}"), HttpStatusCode.BadRequest, "invalidCursor");
        var tampered = (next[0] == 'A' ? "B" : "A") + next[1..];
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users?count=1&cursor={Uri.EscapeDataString(tampered)}"), HttpStatusCode.BadRequest, "invalidCursor");
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Tenant, token, "/Users?cursor=not-a-cursor"), HttpStatusCode.BadRequest, "invalidCursor");
        // The same cursor with its own query still works.
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users?count=1&cursor={Uri.EscapeDataString(next)}"));
    }

    [Theory]
    [InlineData("/Users?cursor=&startIndex=2", "invalidValue")]
    [InlineData("/Users?cursor=&count=0", "invalidCount")]
    [InlineData("/Users?cursor=&count=-3", "invalidCount")]
    [InlineData("/Users?cursor=&sortBy=userName", "invalidValue")]
    [InlineData("/?cursor=", "invalidValue")]
    public async Task Cursor_WithWhatItCannotTake_400(string path, string scimType)
    {
        const string Tenant = "cursor-refused";
        var token = await silo.CreateTenantAsync(Tenant);
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Tenant, token, path), HttpStatusCode.BadRequest, scimType);
    }

    [Fact]
    public async Task Cursor_WithoutCount_UsesTheAdvertisedDefaultPageSize()
    {
        const string Tenant = "cursor-default-size";
        var token = await silo.CreateTenantAsync(Tenant);
        var config = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/ServiceProviderConfig"));
        var size = config.GetProperty("pagination").GetProperty("defaultPageSize").GetInt32();
        await UsersAsync(Tenant, token, 3);
        var page = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Users?cursor"));
        Assert.True(size >= 3);
        Assert.Equal(3, page.GetProperty("itemsPerPage").GetInt32());
        Assert.Null(Next(page));
    }
}
