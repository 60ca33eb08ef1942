using Azure.Data.Tables;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Grains.Tests;
using RfpioGateway.Storage.Groups;
using RfpioGateway.Storage.Postgres;
using RfpioGateway.Storage.Sqlite;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// The membership store contract on every provider: a change applied once or twice leaves the same rows and count,
/// members page in id order, a user's groups are the other side of the same rows, and clearing empties both sides.
/// </summary>
public abstract class MembershipStoreTests
{
    protected abstract IMembershipStore Store { get; }

    private static TenantId NewTenant(string prefix) => TenantId.Parse($"{prefix}{Guid.NewGuid():N}"[..24]);

    private static string Id(int i) => $"0190000000007000800000000000{i:D4}";

    private static MembershipDelta Add(params int[] users) => new(false, [.. users.Select(i => new GroupMember(Id(i), $"user {i}"))], []);

    [Fact]
    public async Task Apply_SameDeltaTwice_SameRowsAndCount()
    {
        var tenant = NewTenant("msa");
        var delta = new MembershipDelta(false, [.. Add(1, 2, 3).Add], [Id(9)]);

        Assert.Equal(3, await Store.ApplyAsync(tenant, "g1", delta));
        Assert.Equal(3, await Store.ApplyAsync(tenant, "g1", delta));
        Assert.Equal(2, await Store.ApplyAsync(tenant, "g1", new MembershipDelta(false, [], [Id(2), Id(2), Id(7)])));

        Assert.Equal(2, await Store.CountAsync(tenant, "g1"));
        var members = await Store.ReadMembersAsync(tenant, "g1", null, 10);
        Assert.Equal([(Id(1), "user 1"), (Id(3), "user 3")], members.Select(m => (m.UserId, m.Display)));
        Assert.Equal([Id(3)], (await Store.ContainedAsync(tenant, "g1", [Id(3), Id(2), Id(8)])).Order());
    }

    [Fact]
    public async Task ReadMembers_InPages_EveryMemberOnceInIdOrder()
    {
        var tenant = NewTenant("msp");
        var users = Enumerable.Range(1, 130).ToArray();
        await Store.ApplyAsync(tenant, "g1", Add(users));

        var read = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await Store.ReadMembersAsync(tenant, "g1", after, 40);
            read.AddRange(page.Select(m => m.UserId));
            if (page.Count < 40)
            {
                break;
            }
            after = page[^1].UserId;
        }
        Assert.Equal(users.Select(Id), read);
        Assert.Equal(130, await Store.CountAsync(tenant, "g1"));
    }

    [Fact]
    public async Task GroupsOf_UserInSeveralGroups_ListsThemAndClearRemovesOne()
    {
        var tenant = NewTenant("msg");
        await Store.ApplyAsync(tenant, "ga", Add(1, 2));
        await Store.ApplyAsync(tenant, "gb", Add(1));
        await Store.ApplyAsync(tenant, "gc", Add(2));

        Assert.Equal(["ga", "gb"], await Store.GroupsOfAsync(tenant, Id(1), null, 10));
        Assert.Equal(["gb"], await Store.GroupsOfAsync(tenant, Id(1), "ga", 10));
        Assert.Empty(await Store.GroupsOfAsync(NewTenant("other"), Id(1), null, 10));

        var clear = new MembershipDelta(true, [], []);
        Assert.Equal(0, await Store.ApplyAsync(tenant, "ga", clear));
        Assert.Equal(0, await Store.ApplyAsync(tenant, "ga", clear));
        Assert.Equal(["gb"], await Store.GroupsOfAsync(tenant, Id(1), null, 10));
        Assert.Equal(["gc"], await Store.GroupsOfAsync(tenant, Id(2), null, 10));
        Assert.Equal(0, await Store.CountAsync(tenant, "ga"));
        Assert.Empty(await Store.ReadMembersAsync(tenant, "ga", null, 10));
    }

    [Fact]
    public async Task Apply_ClearThenAdd_ReplacesTheList()
    {
        var tenant = NewTenant("msr");
        await Store.ApplyAsync(tenant, "g1", Add(1, 2, 3));

        Assert.Equal(2, await Store.ApplyAsync(tenant, "g1", new MembershipDelta(true, [.. Add(3, 4).Add], [])));

        Assert.Equal([Id(3), Id(4)], (await Store.ReadMembersAsync(tenant, "g1", null, 10)).Select(m => m.UserId));
        Assert.Empty(await Store.GroupsOfAsync(tenant, Id(1), null, 10));
        Assert.Equal(["g1"], await Store.GroupsOfAsync(tenant, Id(4), null, 10));
    }
}

public sealed class MemoryMembershipStoreTests : MembershipStoreTests
{
    protected override IMembershipStore Store { get; } = new MemoryMembershipStore();
}

public sealed class SqliteMembershipStoreTests : MembershipStoreTests
{
    protected override IMembershipStore Store { get; } = new SqliteMembershipStore(
        new SqliteFile(Path.Combine(Path.GetTempPath(), "rfpio-membership-store", Guid.NewGuid().ToString("N"), "members.db")), "tests");
}

public sealed class AzureTableMembershipStoreTests(AzureTableEventStoreTests.Emulator emulator) : MembershipStoreTests, IClassFixture<AzureTableEventStoreTests.Emulator>
{
    protected override IMembershipStore Store { get; } = new AzureTableMembershipStore(new TableServiceClient(emulator.Azurite.ConnectionString), "tests");
}

public sealed class PostgresMembershipStoreTests(PostgresFixture postgres) : MembershipStoreTests, IClassFixture<PostgresFixture>
{
    protected override IMembershipStore Store { get; } = new PostgresMembershipStore(postgres.Database, "tests");
}
