using System.Text;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>What an IdP does to groups, expressed as grain calls, and a model of membership to check them against.</summary>
internal static class Groups
{
    public static Task<ResourceResult> CreateAsync(IGrainFactory grains, TenantId tenant, string json) =>
        grains.GetGrain<IGroupGrain>(GrainKeys.Resource(tenant, ResourceIds.New())).CreateAsync(Encoding.UTF8.GetBytes(json));

    public static IGroupGrain Of(IGrainFactory grains, TenantId tenant, string id) => grains.GetGrain<IGroupGrain>(GrainKeys.Resource(tenant, id));

    public static Task<ResourceResult> PatchAsync(IGrainFactory grains, TenantId tenant, string id, string operationsJson) =>
        Of(grains, tenant, id).PatchAsync(
            Encoding.UTF8.GetBytes($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{operationsJson}}]}"""), null);

    public static string Values(IEnumerable<string> ids) => "[" + string.Join(",", ids.Select(id => $$"""{"value":"{{id}}"}""")) + "]";

    public static async Task<string[]> UsersAsync(IGrainFactory grains, TenantId tenant, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var created = await Users.CreateAsync(grains, tenant, $$"""{"userName":"m{{i}}@example.com"}""");
            Assert.True(created.IsSuccess, created.Failure?.Detail);
            ids[i] = created.Resource!.Id;
        }
        return ids;
    }

    /// <summary>Every member, read from the store page by page (small pages, so paging itself is exercised).</summary>
    public static async Task<List<string>> MembersAsync(IMembershipStore store, TenantId tenant, string groupId)
    {
        var all = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await store.ReadMembersAsync(tenant, groupId, after, 7);
            all.AddRange(page.Select(m => m.UserId));
            if (page.Count < 7)
            {
                return all;
            }
            after = page[^1].UserId;
        }
    }

    /// <summary>
    /// Applies a seeded random sequence of the membership edits IdPs send (add, remove by list and by filter,
    /// replace of the list, PUT, remove all, no-ops) and after each one compares the group's members, its count and
    /// every user's groups with a plain set.
    /// </summary>
    public static async Task RunModelAsync(IGrainFactory grains, IMembershipStore store, TenantId tenant, int seed, int steps)
    {
        var users = await UsersAsync(grains, tenant, 12);
        var created = await CreateAsync(grains, tenant, """{"displayName":"Model"}""");
        Assert.True(created.IsSuccess, created.Failure?.Detail);
        var id = created.Resource!.Id;
        var group = Of(grains, tenant, id);
        var model = new SortedSet<string>(StringComparer.Ordinal);
        var random = new Random(seed);
        for (var step = 0; step < steps; step++)
        {
            var some = users.Where(_ => random.Next(3) == 0).ToList();
            string what;
            ResourceResult result;
            switch (random.Next(6))
            {
                case 0:
                    what = $"add {some.Count}";
                    result = await PatchAsync(grains, tenant, id, $$"""{"op":"Add","path":"members","value":{{Values(some)}}}""");
                    model.UnionWith(some);
                    break;
                case 1:
                    what = $"remove {some.Count} listed";
                    result = await PatchAsync(grains, tenant, id, $$"""{"op":"Remove","path":"members","value":{{Values(some)}}}""");
                    model.ExceptWith(some);
                    break;
                case 2:
                    var one = users[random.Next(users.Length)];
                    what = $"remove {one} by filter";
                    result = await PatchAsync(grains, tenant, id, $$"""{"op":"remove","path":"members[value eq \"{{one}}\"]"}""");
                    model.Remove(one);
                    break;
                case 3:
                    what = $"replace with {some.Count}";
                    result = await PatchAsync(grains, tenant, id, $$"""{"op":"replace","path":"members","value":{{Values(some)}}}""");
                    model = new SortedSet<string>(some, StringComparer.Ordinal);
                    break;
                case 4:
                    what = $"put {some.Count}";
                    result = await group.ReplaceAsync(Encoding.UTF8.GetBytes($$"""{"displayName":"Model","members":{{Values(some)}}}"""), null);
                    model = new SortedSet<string>(some, StringComparer.Ordinal);
                    break;
                default:
                    what = "remove all";
                    result = await PatchAsync(grains, tenant, id, """{"op":"remove","path":"members"}""");
                    model.Clear();
                    break;
            }
            Assert.True(result.IsSuccess, $"step {step} ({what}): {result.Failure?.Detail}");
            Assert.Equal([.. model], await MembersAsync(store, tenant, id));
            Assert.Equal(model.Count, await store.CountAsync(tenant, id));
            foreach (var user in users)
            {
                var groups = await store.GroupsOfAsync(tenant, user, null, 10);
                Assert.True(model.Contains(user) == groups.Contains(id), $"step {step} ({what}): user {user}'s groups disagree");
            }
        }
    }
}
