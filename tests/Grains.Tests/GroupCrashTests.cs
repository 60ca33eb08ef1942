using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Every storage write of a membership PATCH, of deleting a user who is in groups, and of deleting a group is failed
/// in turn (GroupGrain's crash order). Once the IdP has retried, the group's members, its count and each user's
/// groups agree with each other and with what the requests asked for.
/// </summary>
public abstract class GroupCrashCases(ClusterFixture fixture, string prefix)
{
    private readonly IMembershipStore _store = fixture.MembershipStore;

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task PatchMembers_FailEachStorageWriteInTurn_MembersAndUsersGroupsAgreeAfterRetry()
    {
        var (_, _, writes) = await SetUpAsync(prefix + "group-patch-count", count: true);
        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var (tenant, users, _) = await SetUpAsync($"{prefix}group-patch-{failAt}", count: false);
            var groupId = users[^1];
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            await Users.TryAsync(() => Groups.PatchAsync(Grains, tenant, groupId, Change(users)));
            FaultyGrainStorage.Disarm(tenant.Value);
            // Entra re-sends the PATCH; if the first one was kept, this one changes nothing.
            var retry = await Groups.PatchAsync(Grains, tenant, groupId, Change(users));
            Assert.True(retry.IsSuccess, $"write {failAt}: {retry.Failure?.Detail}");

            Assert.Equal(new[] { users[1], users[2] }.Order(StringComparer.Ordinal), await Groups.MembersAsync(_store, tenant, groupId));
            Assert.Equal(2, await _store.CountAsync(tenant, groupId));
            Assert.Empty(await _store.GroupsOfAsync(tenant, users[0], null, 10));
            Assert.Equal([groupId], await _store.GroupsOfAsync(tenant, users[1], null, 10));
            Assert.Equal(2, (await Groups.Of(Grains, tenant, groupId).GetAsync())!.Version);
        }
    }

    [Fact]
    public async Task DeleteUser_FailEachStorageWriteInTurn_UserLeavesEveryGroup()
    {
        var writes = await Users.CountWritesAsync(Grains, prefix + "group-user-delete-count", async tenant =>
        {
            var (user, _) = await UserInTwoGroupsAsync(tenant);
            FaultyGrainStorage.Count(tenant.Value);
            return await Grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, user)).DeleteAsync(null);
        });
        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var tenant = await Users.TenantAsync(Grains, $"{prefix}group-user-delete-{failAt}");
            var (user, groups) = await UserInTwoGroupsAsync(tenant);
            var grain = Grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, user));
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            await Users.TryAsync(() => grain.DeleteAsync(null));
            FaultyGrainStorage.Disarm(tenant.Value);
            var retry = await grain.DeleteAsync(null);
            Assert.True(retry.IsSuccess || retry.Failure!.Status == 404, $"write {failAt}: {retry.Failure?.Detail}");

            Assert.Empty(await _store.GroupsOfAsync(tenant, user, null, 10));
            foreach (var group in groups)
            {
                var members = await Groups.MembersAsync(_store, tenant, group);
                Assert.DoesNotContain(user, members);
                Assert.Equal(members.Count, await _store.CountAsync(tenant, group));
            }
        }
    }

    [Fact]
    public async Task DeleteGroup_FailEachStorageWriteInTurn_NoMembershipLeft()
    {
        var writes = await Users.CountWritesAsync(Grains, prefix + "group-delete-count", async tenant =>
        {
            var (_, groups) = await UserInTwoGroupsAsync(tenant);
            FaultyGrainStorage.Count(tenant.Value);
            return await Groups.Of(Grains, tenant, groups[0]).DeleteAsync(null);
        });
        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var tenant = await Users.TenantAsync(Grains, $"{prefix}group-delete-{failAt}");
            var (user, groups) = await UserInTwoGroupsAsync(tenant);
            var grain = Groups.Of(Grains, tenant, groups[0]);
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            await Users.TryAsync(() => grain.DeleteAsync(null));
            FaultyGrainStorage.Disarm(tenant.Value);
            var retry = await grain.DeleteAsync(null);
            Assert.True(retry.IsSuccess || retry.Failure!.Status == 404, $"write {failAt}: {retry.Failure?.Detail}");

            Assert.Null(await grain.GetAsync());
            Assert.Empty(await Groups.MembersAsync(_store, tenant, groups[0]));
            Assert.Equal(0, await _store.CountAsync(tenant, groups[0]));
            Assert.Equal([groups[1]], await _store.GroupsOfAsync(tenant, user, null, 10));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Membership_RandomEditSequence_MatchesAPlainSet(int seed)
    {
        var tenant = await Users.TenantAsync(Grains, $"{prefix}group-model-{seed}");
        await Groups.RunModelAsync(Grains, _store, tenant, seed, steps: 40);
    }

    private static string Change(string[] users) =>
        $$"""{"op":"Remove","path":"members","value":[{"value":"{{users[0]}}"}]},{"op":"Add","path":"members","value":{{Groups.Values([users[1], users[2]])}}}""";

    /// <summary>Three users, a group holding the first (its id is the last element), and the write count of <see cref="Change"/> when asked.</summary>
    private async Task<(TenantId Tenant, string[] Ids, int Writes)> SetUpAsync(string name, bool count)
    {
        var tenant = await Users.TenantAsync(Grains, name);
        var users = await Groups.UsersAsync(Grains, tenant, 3);
        var group = await Groups.CreateAsync(Grains, tenant, $$"""{"displayName":"Crash","members":{{Groups.Values([users[0]])}}}""");
        Assert.True(group.IsSuccess, group.Failure?.Detail);
        string[] ids = [.. users, group.Resource!.Id];
        if (!count)
        {
            return (tenant, ids, 0);
        }
        FaultyGrainStorage.Count(tenant.Value);
        var result = await Groups.PatchAsync(Grains, tenant, group.Resource.Id, Change(ids));
        Assert.True(result.IsSuccess, result.Failure?.Detail);
        return (tenant, ids, FaultyGrainStorage.Disarm(tenant.Value)!.Seen);
    }

    private async Task<(string User, string[] Groups)> UserInTwoGroupsAsync(TenantId tenant)
    {
        var users = await Groups.UsersAsync(Grains, tenant, 2);
        var a = await Groups.CreateAsync(Grains, tenant, $$"""{"displayName":"A","members":{{Groups.Values(users)}}}""");
        var b = await Groups.CreateAsync(Grains, tenant, $$"""{"displayName":"B","members":{{Groups.Values([users[0]])}}}""");
        Assert.True(a.IsSuccess && b.IsSuccess);
        return (users[0], [a.Resource!.Id, b.Resource!.Id]);
    }
}

[Collection(ClusterCollection.Name)]
public sealed class GroupCrashTests(ClusterFixture fixture) : GroupCrashCases(fixture, "");

/// <summary>The same cuts with every row in PostgreSQL.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresGroupCrashTests(PostgresClusterFixture fixture) : GroupCrashCases(fixture, "pg-");
