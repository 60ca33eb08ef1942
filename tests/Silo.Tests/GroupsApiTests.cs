using System.Net;
using System.Text.Json;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Groups as each IdP drives them, with the bodies they send (entra-scim-client.md §2.7, §4 Q5/Q8, §8), through
/// real HTTP on the SQLite default.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class GroupsApiTests(SiloServer silo)
{
    private const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private async Task<string[]> UsersAsync(string tenant, string token, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var created = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, "/Users",
                $$"""{"userName":"member{{i}}@example.com","displayName":"Member {{i}}"}"""), HttpStatusCode.Created);
            ids[i] = created.GetProperty("id").GetString()!;
        }
        return ids;
    }

    private async Task<string> GroupAsync(string tenant, string token, string body)
    {
        var created = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, "/Groups", body), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private async Task<HttpResponseMessage> PatchAsync(string tenant, string token, string groupId, string operations) =>
        await silo.Scim(HttpMethod.Patch, tenant, token, $"/Groups/{groupId}", $$"""{"schemas":["{{PatchOp}}"],"Operations":{{operations}}}""");

    private async Task<JsonElement> GetAsync(string tenant, string token, string groupId, string query = "") =>
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, tenant, token, $"/Groups/{groupId}{query}"));

    private static string[] MemberIds(JsonElement group) =>
        [.. group.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("value").GetString()!).Order(StringComparer.Ordinal)];

    private static string Values(params string[] ids) => "[" + string.Join(",", ids.Select(id => $$"""{"value":"{{id}}"}""")) + "]";

    [Fact]
    public async Task EntraDefault_CreateEmptyAddManyRemoveListedRename_AnswersAsEntraExpects()
    {
        const string Tenant = "groups-entra";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 4);

        using var created = await silo.Scim(HttpMethod.Post, Tenant, token, "/Groups", """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
             "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Sales","meta":{"resourceType":"Group"}}
            """);
        var group = await ScimAssert.Ok(created, HttpStatusCode.Created);
        var id = group.GetProperty("id").GetString()!;
        Assert.Empty(group.GetProperty("members").EnumerateArray());
        Assert.Equal(["urn:ietf:params:scim:schemas:core:2.0:Group"], group.GetProperty("schemas").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("W/\"1\"", created.Headers.ETag!.ToString());

        var found = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Groups?excludedAttributes=members&filter=displayName+eq+%22sales%22"));
        Assert.Equal(1, found.GetProperty("totalResults").GetInt32());
        Assert.False(found.GetProperty("Resources")[0].TryGetProperty("members", out _));

        using var added = await PatchAsync(Tenant, token, id, $$"""[{"op":"Add","path":"members","value":[{{string.Join(",", users.Select(u => $$"""{"$ref":null,"value":"{{u}}"}"""))}}]}]""");
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        Assert.Equal("W/\"2\"", added.Headers.ETag!.ToString());
        var full = await GetAsync(Tenant, token, id);
        Assert.Equal(users.Order(StringComparer.Ordinal), MemberIds(full));
        var first = full.GetProperty("members").EnumerateArray().First(m => m.GetProperty("value").GetString() == users[0]);
        Assert.Equal("Member 0", first.GetProperty("display").GetString());
        Assert.Equal("User", first.GetProperty("type").GetString());
        Assert.EndsWith($"/Users/{users[0]}", first.GetProperty("$ref").GetString(), StringComparison.Ordinal);

        using var removed = await PatchAsync(Tenant, token, id, $$"""[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"{{users[1]}}"}]}]""");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(new[] { users[0], users[2], users[3] }.Order(StringComparer.Ordinal), MemberIds(await GetAsync(Tenant, token, id)));

        using var renamed = await PatchAsync(Tenant, token, id, """[{"op":"Replace","path":"displayName","value":"Sales EMEA"},{"op":"Replace","path":"externalId","value":"ext-2"}]""");
        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        var after = await GetAsync(Tenant, token, id, "?excludedAttributes=members");
        Assert.Equal("Sales EMEA", after.GetProperty("displayName").GetString());
        Assert.Equal("ext-2", after.GetProperty("externalId").GetString());
        Assert.False(after.TryGetProperty("members", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await silo.Scim(HttpMethod.Delete, Tenant, token, $"/Groups/{id}")).StatusCode);
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EntraCompliant_LowercaseRemoveByFilterAndPathlessReplace_Applied()
    {
        const string Tenant = "groups-entra-flag";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 3);
        var id = await GroupAsync(Tenant, token, $$"""{"displayName":"Eng","members":{{Values(users)}}}""");

        using var removed = await PatchAsync(Tenant, token, id, $$"""[{"op":"remove","path":"members[value eq \"{{users[2]}}\"]"}]""");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var replaced = await PatchAsync(Tenant, token, id, """[{"op":"replace","value":{"displayName":"Engineering","externalId":"e-1"}}]""");
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);

        var group = await GetAsync(Tenant, token, id);
        Assert.Equal("Engineering", group.GetProperty("displayName").GetString());
        Assert.Equal(new[] { users[0], users[1] }.Order(StringComparer.Ordinal), MemberIds(group));
    }

    [Fact]
    public async Task Okta_PushRenameWithMembershipReplaceListPutAndUnlink_Applied()
    {
        const string Tenant = "groups-okta";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 4);
        var id = await GroupAsync(Tenant, token, """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Okta Team","members":[]}""");

        // Okta's membership update: pathless rename, remove by filter and add with display, in one request.
        using var push = await PatchAsync(Tenant, token, id, $$$"""
            [{"op":"replace","value":{"id":"{{{id}}}","displayName":"Okta Team 2"}},
             {"op":"remove","path":"members[value eq \"{{{users[3]}}}\"]"},
             {"op":"add","path":"members","value":[{"value":"{{{users[0]}}}","display":"member0@example.com"},{"value":"{{{users[1]}}}","display":"member1@example.com"}]}]
            """);
        Assert.Equal(HttpStatusCode.NoContent, push.StatusCode);
        var group = await GetAsync(Tenant, token, id);
        Assert.Equal("Okta Team 2", group.GetProperty("displayName").GetString());
        Assert.Equal(new[] { users[0], users[1] }.Order(StringComparer.Ordinal), MemberIds(group));

        using var replaceAll = await PatchAsync(Tenant, token, id, $$"""[{"op":"replace","path":"members","value":{{Values(users[2], users[3])}}}]""");
        Assert.Equal(HttpStatusCode.NoContent, replaceAll.StatusCode);
        Assert.Equal(new[] { users[2], users[3] }.Order(StringComparer.Ordinal), MemberIds(await GetAsync(Tenant, token, id)));

        var put = await ScimAssert.Ok(await silo.Scim(HttpMethod.Put, Tenant, token, $"/Groups/{id}",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"{{id}}","displayName":"Okta Team 2","members":{{Values(users[0], users[3])}}}"""));
        Assert.Equal(new[] { users[0], users[3] }.Order(StringComparer.Ordinal), MemberIds(put));
        Assert.Equal(new[] { users[0], users[3] }.Order(StringComparer.Ordinal), MemberIds(await GetAsync(Tenant, token, id)));

        Assert.Equal(HttpStatusCode.NoContent, (await silo.Scim(HttpMethod.Delete, Tenant, token, $"/Groups/{id}")).StatusCode);
        var user = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{users[0]}"));
        Assert.False(user.TryGetProperty("groups", out _));
    }

    [Fact]
    public async Task OneLogin_LowercaseAddOfOneMember_Applied()
    {
        const string Tenant = "groups-onelogin";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 1);
        var id = await GroupAsync(Tenant, token, """{"displayName":"OneLogin Role"}""");
        using var added = await PatchAsync(Tenant, token, id, $$"""[{"op":"add","path":"members","value":[{"value":"{{users[0]}}"}]}]""");
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        Assert.Equal(users, MemberIds(await GetAsync(Tenant, token, id)));
    }

    [Fact]
    public async Task Patch_AddPresentOrRemoveAbsent_NoOpKeepsVersion()
    {
        const string Tenant = "groups-noop";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 2);
        var id = await GroupAsync(Tenant, token, $$"""{"displayName":"Same","members":{{Values(users[0])}}}""");
        using var again = await PatchAsync(Tenant, token, id, $$"""[{"op":"add","path":"members","value":{{Values(users[0])}}},{"op":"remove","path":"members","value":{{Values(users[1])}}}]""");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal("W/\"1\"", again.Headers.ETag!.ToString());
        Assert.Equal([users[0]], MemberIds(await GetAsync(Tenant, token, id)));
    }

    [Fact]
    public async Task Patch_UnknownOrForeignMember_InvalidValueNamingItAndNothingApplied()
    {
        const string Tenant = "groups-atomic";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 2);
        var otherToken = await silo.CreateTenantAsync("groups-atomic-other");
        var foreign = (await UsersAsync("groups-atomic-other", otherToken, 1))[0];
        var id = await GroupAsync(Tenant, token, $$"""{"displayName":"Atomic","members":{{Values(users[0])}}}""");
        var missing = "0190a1b2c3d47e8f9a0b1c2d3e4f5a6b";

        foreach (var stranger in new[] { missing, foreign })
        {
            using var refused = await PatchAsync(Tenant, token, id, $$"""
                [{"op":"replace","path":"displayName","value":"Renamed"},
                 {"op":"remove","path":"members","value":{{Values(users[0])}}},
                 {"op":"add","path":"members","value":{{Values(users[1], stranger)}}}]
                """);
            var error = await ScimAssert.Error(refused, HttpStatusCode.BadRequest, "invalidValue");
            Assert.Contains(stranger, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        var group = await GetAsync(Tenant, token, id);
        Assert.Equal("Atomic", group.GetProperty("displayName").GetString());
        Assert.Equal([users[0]], MemberIds(group));
        Assert.Equal("W/\"1\"", group.GetProperty("meta").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Create_DisplayNameTakenInOtherCase_Conflict()
    {
        const string Tenant = "groups-unique";
        var token = await silo.CreateTenantAsync(Tenant);
        await GroupAsync(Tenant, token, """{"displayName":"Finance"}""");
        await ScimAssert.Error(await silo.Scim(HttpMethod.Post, Tenant, token, "/Groups", """{"displayName":"FINANCE"}"""), HttpStatusCode.Conflict, "uniqueness");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => silo.Scim(HttpMethod.Post, Tenant, token, "/Groups", """{"displayName":"Raced"}""")));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task List_FilterByMemberInBothForms_ReturnsTheUsersGroupsAndUserShowsThem()
    {
        const string Tenant = "groups-by-member";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 2);
        var a = await GroupAsync(Tenant, token, $$"""{"displayName":"A","members":{{Values(users)}}}""");
        var b = await GroupAsync(Tenant, token, $$"""{"displayName":"B","members":{{Values(users[0])}}}""");
        await GroupAsync(Tenant, token, """{"displayName":"C"}""");

        foreach (var filter in new[] { $"members[value eq \"{users[0]}\"]", $"members.value eq \"{users[0]}\"" })
        {
            var list = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups?excludedAttributes=members&filter={Uri.EscapeDataString(filter)}"));
            Assert.Equal(2, list.GetProperty("totalResults").GetInt32());
            Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), list.GetProperty("Resources").EnumerateArray().Select(g => g.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        }
        var user = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users/{users[0]}"));
        var groups = user.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(new[] { "A", "B" }, groups.Select(g => g.GetProperty("display").GetString()).Order(StringComparer.Ordinal));
        Assert.All(groups, g => Assert.Equal("direct", g.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task DeleteUser_MemberOfGroups_LeavesEveryGroup()
    {
        const string Tenant = "groups-user-delete";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 2);
        var a = await GroupAsync(Tenant, token, $$"""{"displayName":"A","members":{{Values(users)}}}""");
        var b = await GroupAsync(Tenant, token, $$"""{"displayName":"B","members":{{Values(users[0])}}}""");
        Assert.Equal(HttpStatusCode.NoContent, (await silo.Scim(HttpMethod.Delete, Tenant, token, $"/Users/{users[0]}")).StatusCode);
        Assert.Equal([users[1]], MemberIds(await GetAsync(Tenant, token, a)));
        Assert.Empty(MemberIds(await GetAsync(Tenant, token, b)));
        var list = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups?filter={Uri.EscapeDataString($"members.value eq \"{users[0]}\"")}"));
        Assert.Equal(0, list.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task Discovery_GroupResourceType_Advertised()
    {
        const string Tenant = "groups-discovery";
        var token = await silo.CreateTenantAsync(Tenant);
        var types = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/ResourceTypes"));
        Assert.Contains(types.GetProperty("Resources").EnumerateArray(), t => t.GetProperty("endpoint").GetString() == "/Groups");
        var schema = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group"));
        Assert.Contains(schema.GetProperty("attributes").EnumerateArray(), a => a.GetProperty("name").GetString() == "members");
    }

    [Fact]
    public async Task Patch_MemberSubAttributeOrNonUserType_ClearError()
    {
        const string Tenant = "groups-bad";
        var token = await silo.CreateTenantAsync(Tenant);
        var users = await UsersAsync(Tenant, token, 1);
        var id = await GroupAsync(Tenant, token, $$"""{"displayName":"Bad","members":{{Values(users)}}}""");
        await ScimAssert.Error(await PatchAsync(Tenant, token, id, """[{"op":"replace","path":"members.display","value":"x"}]"""), HttpStatusCode.BadRequest, "invalidPath");
        await ScimAssert.Error(await PatchAsync(Tenant, token, id, """[{"op":"remove","path":"members[display eq \"x\"]"}]"""), HttpStatusCode.BadRequest, "invalidFilter");
        await ScimAssert.Error(await PatchAsync(Tenant, token, id, $$"""[{"op":"add","path":"members","value":[{"value":"{{id}}","type":"Group"}]}]"""), HttpStatusCode.BadRequest, "invalidValue");
        await ScimAssert.Error(await PatchAsync(Tenant, token, id, """[{"op":"add","path":"members","value":"nope"}]"""), HttpStatusCode.BadRequest, "invalidValue");
        Assert.Equal(users, MemberIds(await GetAsync(Tenant, token, id)));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Membership_RandomEditSequenceOverHttp_MatchesAPlainSet(int seed)
    {
        var tenant = $"groups-model-{seed}";
        var token = await silo.CreateTenantAsync(tenant);
        var users = await UsersAsync(tenant, token, 10);
        var id = await GroupAsync(tenant, token, """{"displayName":"Model"}""");
        var model = new SortedSet<string>(StringComparer.Ordinal);
        var random = new Random(seed);
        for (var step = 0; step < 30; step++)
        {
            var some = users.Where(_ => random.Next(3) == 0).ToArray();
            HttpResponseMessage response;
            switch (random.Next(5))
            {
                case 0:
                    response = await PatchAsync(tenant, token, id, $$"""[{"op":"Add","path":"members","value":{{Values(some)}}}]""");
                    model.UnionWith(some);
                    break;
                case 1:
                    response = await PatchAsync(tenant, token, id, $$"""[{"op":"Remove","path":"members","value":{{Values(some)}}}]""");
                    model.ExceptWith(some);
                    break;
                case 2:
                    var one = users[random.Next(users.Length)];
                    response = await PatchAsync(tenant, token, id, $$"""[{"op":"remove","path":"members[value eq \"{{one}}\"]"}]""");
                    model.Remove(one);
                    break;
                case 3:
                    response = await PatchAsync(tenant, token, id, $$"""[{"op":"replace","path":"members","value":{{Values(some)}}}]""");
                    model = new SortedSet<string>(some, StringComparer.Ordinal);
                    break;
                default:
                    response = await silo.Scim(HttpMethod.Put, tenant, token, $"/Groups/{id}", $$"""{"displayName":"Model","members":{{Values(some)}}}""");
                    model = new SortedSet<string>(some, StringComparer.Ordinal);
                    break;
            }
            Assert.True(response.IsSuccessStatusCode, $"step {step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var members = MemberIds(await GetAsync(tenant, token, id));
            Assert.Equal(model.ToArray(), members);
            var member = users[random.Next(users.Length)];
            var holding = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, tenant, token, $"/Groups?excludedAttributes=members&filter={Uri.EscapeDataString($"members.value eq \"{member}\"")}"));
            Assert.Equal(model.Contains(member) ? 1 : 0, holding.GetProperty("totalResults").GetInt32());
        }
    }
}
