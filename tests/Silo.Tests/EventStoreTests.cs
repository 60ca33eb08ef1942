using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Grains.Tests;
using RfpioGateway.Storage.Events;
using RfpioGateway.Storage.Postgres;
using RfpioGateway.Storage.Sqlite;
using Azure.Data.Tables;

namespace RfpioGateway.Silo.Tests;

/// <summary>The event store contract on every provider: append, find by key, head, read in order, trim keeping the newest.</summary>
public abstract class EventStoreTests
{
    protected abstract IEventStore Store { get; }

    private static ChangeEvent Event(long sequence, string id, DateTimeOffset time, int documentBytes = 20) =>
        new(sequence, "User", id, sequence, ChangeKind.Patch, time, ["displayName"], new byte[documentBytes], time, "trace");

    [Fact]
    public async Task Append_ThenReadFindAndHead_InSequenceOrder()
    {
        var tenant = $"evs{Guid.NewGuid():N}"[..20];
        var now = DateTimeOffset.UtcNow;
        for (var i = 1; i <= 5; i++)
        {
            await Store.AppendAsync(tenant, [Event(i, $"u{i}", now)]);
        }

        Assert.Equal(5, await Store.HeadAsync(tenant));
        Assert.Equal([3L, 4L], (await Store.ReadAsync(tenant, 2, 2)).Select(e => e.Sequence));
        Assert.Equal(4, await Store.FindAsync(tenant, Event(4, "u4", now).Key));
        Assert.Null(await Store.FindAsync(tenant, "User/nobody/1/Patch"));
        Assert.Equal(0, await Store.HeadAsync(tenant + "x"));
        var read = Assert.Single(await Store.ReadAsync(tenant, 4, 10));
        Assert.Equal((ChangeKind.Patch, "u5", "trace"), (read.Kind, read.ResourceId, read.TraceId));
    }

    [Fact]
    public async Task Append_SameSequenceTwice_Refused()
    {
        var tenant = $"evd{Guid.NewGuid():N}"[..20];
        await Store.AppendAsync(tenant, [Event(1, "u1", DateTimeOffset.UtcNow)]);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendAsync(tenant, [Event(1, "u2", DateTimeOffset.UtcNow)]));
        Assert.Equal(["u1"], (await Store.ReadAsync(tenant, 0, 10)).Select(e => e.ResourceId));
    }

    [Fact]
    public async Task Append_SeveralAtOnce_EachStoredInOrderAndFoundByKey()
    {
        var tenant = $"evb{Guid.NewGuid():N}"[..20];
        var now = DateTimeOffset.UtcNow;
        // More than one Azure entity-group transaction holds (three actions an event, a hundred a transaction).
        var batch = Enumerable.Range(1, 40).Select(i => Event(i, $"u{i}", now)).ToList();

        await Store.AppendAsync(tenant, batch);

        Assert.Equal(40, await Store.HeadAsync(tenant));
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), (await Store.ReadAsync(tenant, 0, 100)).Select(e => e.Sequence));
        Assert.Equal(33, await Store.FindAsync(tenant, batch[32].Key));
    }

    [Fact]
    public async Task Append_BatchHoldingAStoredSequence_StoresNoneOfIt()
    {
        var tenant = $"evn{Guid.NewGuid():N}"[..20];
        var now = DateTimeOffset.UtcNow;
        await Store.AppendAsync(tenant, [Event(1, "u1", now)]);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendAsync(tenant, [Event(2, "u2", now), Event(1, "u3", now)]));

        Assert.Equal(1, await Store.HeadAsync(tenant));
        Assert.Null(await Store.FindAsync(tenant, Event(2, "u2", now).Key));
    }

    [Fact]
    public async Task Trim_ByAgeAndCount_KeepsTheNewestAndTheHead()
    {
        var tenant = $"evt{Guid.NewGuid():N}"[..20];
        var old = DateTimeOffset.UtcNow.AddDays(-30);
        for (var i = 1; i <= 6; i++)
        {
            await Store.AppendAsync(tenant, [Event(i, $"u{i}", i <= 3 ? old : DateTimeOffset.UtcNow)]);
        }

        await Store.TrimAsync(tenant, DateTimeOffset.UtcNow.AddDays(-7), keep: 2);

        Assert.Equal([5L, 6L], (await Store.ReadAsync(tenant, 0, 10)).Select(e => e.Sequence));
        Assert.Equal(6, await Store.HeadAsync(tenant));
        Assert.Null(await Store.FindAsync(tenant, Event(1, "u1", old).Key));
    }

    [Fact]
    public async Task Append_LargeDocument_ReadBackWhole()
    {
        var tenant = $"evl{Guid.NewGuid():N}"[..20];
        await Store.AppendAsync(tenant, [Event(1, "big", DateTimeOffset.UtcNow, documentBytes: 200_000)]);

        Assert.Equal(200_000, Assert.Single(await Store.ReadAsync(tenant, 0, 1)).Document!.Length);
    }
}

public sealed class MemoryEventStoreTests : EventStoreTests
{
    protected override IEventStore Store { get; } = new MemoryEventStore();
}

public sealed class SqliteEventStoreTests : EventStoreTests
{
    protected override IEventStore Store { get; } = new SqliteEventStore(
        new SqliteFile(Path.Combine(Path.GetTempPath(), "rfpio-event-store", Guid.NewGuid().ToString("N"), "events.db")), "tests");
}

public sealed class AzureTableEventStoreTests(AzureTableEventStoreTests.Emulator emulator) : EventStoreTests, IClassFixture<AzureTableEventStoreTests.Emulator>
{
    protected override IEventStore Store { get; } = new AzureTableEventStore(new TableServiceClient(emulator.Azurite.ConnectionString), "tests");

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
    public sealed class Emulator : IAsyncLifetime
    {
        public Azurite Azurite { get; private set; } = null!;

        public async Task InitializeAsync() => Azurite = await Azurite.StartAsync();

        public async Task DisposeAsync() => await Azurite.DisposeAsync();
    }
}

public sealed class PostgresEventStoreTests(PostgresFixture postgres) : EventStoreTests, IClassFixture<PostgresFixture>
{
    protected override IEventStore Store { get; } = new PostgresEventStore(postgres.Database, "tests");
}
