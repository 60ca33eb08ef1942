using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Events;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Every storage write of a create, a deactivating PATCH and a delete (the event append included) is failed in
/// turn. Once the IdP has retried and the resource has been read, the tenant's feed holds exactly one event per
/// change that happened, none for one that did not, numbered 1, 2, … without a gap.
/// </summary>
public abstract class EventCrashCases(ClusterFixture fixture, string prefix)
{
    private const string Body = """{"userName":"event@example.com","externalId":"ev-1","active":true}""";
    private const string Deactivate = """{"op":"replace","path":"active","value":false}""";

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task Create_FailEachStorageWriteInTurn_OneCreateEventForTheUserThatExists()
    {
        var writes = await Users.CountWritesAsync(Grains, prefix + "event-create-count", tenant => Users.CreateAsync(Grains, tenant, Body));
        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var tenant = await Users.TenantAsync(Grains, $"{prefix}event-create-{failAt}");
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            await Users.TryAsync(() => Users.CreateAsync(Grains, tenant, Body));
            FaultyGrainStorage.Disarm(tenant.Value);
            await Users.CreateAsync(Grains, tenant, Body);
            var found = await Users.FindAsync(Grains, tenant, "event@example.com");

            var events = await FeedAsync(tenant);
            var only = Assert.Single(events);
            Assert.Equal((ChangeKind.Create, found!.Id, 1L, 1L), (only.Kind, only.ResourceId, only.Version, only.Sequence));
        }
    }

    [Fact]
    public async Task Deactivate_FailEachStorageWriteInTurn_OneDeactivateEventAfterTheCreate()
    {
        var writes = await Users.CountWritesAsync(Grains, prefix + "event-patch-count", async tenant =>
        {
            var id = (await Users.CreateAsync(Grains, tenant, Body)).Resource!.Id;
            FaultyGrainStorage.Count(tenant.Value);
            return await Users.PatchAsync(Grains, tenant, id, Deactivate);
        });
        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var tenant = await Users.TenantAsync(Grains, $"{prefix}event-patch-{failAt}");
            var id = (await Users.CreateAsync(Grains, tenant, Body)).Resource!.Id;
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            await Users.TryAsync(() => Users.PatchAsync(Grains, tenant, id, Deactivate));
            FaultyGrainStorage.Disarm(tenant.Value);
            // Entra re-sends the PATCH; if the first one was kept, this one changes nothing and yields no event.
            Assert.True((await Users.PatchAsync(Grains, tenant, id, Deactivate)).IsSuccess);

            var events = await FeedAsync(tenant);
            Assert.Equal([(ChangeKind.Create, 1L, 1L), (ChangeKind.Deactivate, 2L, 2L)],
                events.Select(e => (e.Kind, e.Version, e.Sequence)));
            Assert.Contains("active", events[1].Attributes);
        }
    }

    [Fact]
    public async Task Delete_FailEachStorageWriteInTurn_OneDeleteEventAndTheUserGone()
    {
        var writes = await Users.CountWritesAsync(Grains, prefix + "event-delete-count", async tenant =>
        {
            var id = (await Users.CreateAsync(Grains, tenant, Body)).Resource!.Id;
            FaultyGrainStorage.Count(tenant.Value);
            return await Grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, id)).DeleteAsync(null);
        });
        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var tenant = await Users.TenantAsync(Grains, $"{prefix}event-delete-{failAt}");
            var id = (await Users.CreateAsync(Grains, tenant, Body)).Resource!.Id;
            var user = Grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, id));
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            await Users.TryAsync(() => user.DeleteAsync(null));
            FaultyGrainStorage.Disarm(tenant.Value);
            // The IdP retries the DELETE: 204, or 404 once the first one is finished.
            var retry = await user.DeleteAsync(null);
            Assert.True(retry.IsSuccess || retry.Failure!.Status == 404, $"write {failAt}: {retry.Failure?.Detail}");
            Assert.Null(await user.GetAsync());

            var events = await FeedAsync(tenant);
            Assert.Equal([(ChangeKind.Create, 1L), (ChangeKind.Delete, 2L)], events.Select(e => (e.Kind, e.Sequence)));
            Assert.All(events, e => Assert.Equal(id, e.ResourceId));
        }
    }

    [Fact]
    public async Task GroupMembership_AddThenNoOpThenRemove_OnePatchEventNamingMembersPerChange()
    {
        var tenant = await Users.TenantAsync(Grains, prefix + "event-group");
        var users = await Groups.UsersAsync(Grains, tenant, 2);
        var group = (await Groups.CreateAsync(Grains, tenant, """{"displayName":"Evented"}""")).Resource!.Id;
        var add = $$"""{"op":"Add","path":"members","value":{{Groups.Values(users)}}}""";
        Assert.True((await Groups.PatchAsync(Grains, tenant, group, add)).IsSuccess);
        Assert.True((await Groups.PatchAsync(Grains, tenant, group, add)).IsSuccess);
        Assert.True((await Groups.PatchAsync(Grains, tenant, group, $$"""{"op":"remove","path":"members[value eq \"{{users[0]}}\"]"}""")).IsSuccess);

        var events = (await FeedAsync(tenant)).Where(e => e.ResourceType == "Group").ToList();
        Assert.Equal([(ChangeKind.Create, 1L), (ChangeKind.Patch, 2L), (ChangeKind.Patch, 3L)], events.Select(e => (e.Kind, e.Version)));
        Assert.All(events.Skip(1), e => Assert.Equal(["members"], e.Attributes));
    }

    private Task<IReadOnlyList<ChangeEvent>> FeedAsync(TenantId tenant) => fixture.EventStore.ReadAsync(tenant.Value, 0, 100);
}

[Collection(ClusterCollection.Name)]
public sealed class EventCrashTests(ClusterFixture fixture) : EventCrashCases(fixture, "");

/// <summary>The same cuts with every row in PostgreSQL.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresEventCrashTests(PostgresClusterFixture fixture) : EventCrashCases(fixture, "pg-");
