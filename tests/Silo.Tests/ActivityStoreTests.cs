using Azure.Data.Tables;
using RfpioGateway.Grains.Tests;
using RfpioGateway.TenantAdmin.Activity;
using RfpioGateway.Storage.ActivityLog;
using RfpioGateway.Storage.AzureTables;
using RfpioGateway.Storage.Memory;
using RfpioGateway.Storage.Postgres;
using RfpioGateway.Storage.Sqlite;

namespace RfpioGateway.Silo.Tests;

/// <summary>The same contract for every activity store: SQLite, an Azure Table (on Azurite), PostgreSQL and memory.</summary>
public sealed class ActivityStoreTests(PostgresFixture postgres) : IAsyncLifetime, IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    public static TheoryData<string> Stores => ["Sqlite", "AzureTable", "Postgres", "Memory"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task QueryAsync_Records_NewestFirstPagedAndFiltered(string kind)
    {
        var store = Create(kind);
        await store.AppendAsync([.. Enumerable.Range(0, 25).Select(i => Record("storea", i, i % 5 == 0 ? 409 : 201))]);
        await store.AppendAsync([Record("storeb", 0, 201)]);

        var first = await store.QueryAsync("storea", new ActivityQuery { Count = 10 });
        var second = await store.QueryAsync("storea", new ActivityQuery { Count = 10, Before = first.Next });
        var third = await store.QueryAsync("storea", new ActivityQuery { Count = 10, Before = second.Next });
        var failures = await store.QueryAsync("storea", new ActivityQuery { Result = "failure", Count = 100 });
        var window = await store.QueryAsync("storea", new ActivityQuery { From = T0.AddMinutes(10), To = T0.AddMinutes(14), Count = 100 });

        Assert.Equal(Minutes(24, 15), first.Records.Select(r => (int)(r.Time - T0).TotalMinutes));
        Assert.Equal(Minutes(14, 5), second.Records.Select(r => (int)(r.Time - T0).TotalMinutes));
        Assert.Equal(Minutes(4, 0), third.Records.Select(r => (int)(r.Time - T0).TotalMinutes));
        Assert.Null(third.Next);
        Assert.Equal([20, 15, 10, 5, 0], failures.Records.Select(r => (int)(r.Time - T0).TotalMinutes));
        Assert.Equal(Minutes(14, 10), window.Records.Select(r => (int)(r.Time - T0).TotalMinutes));
        Assert.Equal("user0@example.com", third.Records[^1].UserName);
        Assert.Equal("Microsoft.AAD.Provisioning", third.Records[^1].UserAgent);
        Assert.Equal("userName eq \"user3@example.com\"", third.Records.Single(r => r.Time == T0.AddMinutes(3)).Query);
        Assert.Null(third.Records[^1].Query);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task CountAsync_Since_CountsByOutcome(string kind)
    {
        var store = Create(kind);
        await store.AppendAsync([.. Enumerable.Range(0, 10).Select(i => Record("countsa", i, i < 3 ? 500 : 201))]);

        var counts = await store.CountAsync("countsa", T0.AddMinutes(2));

        Assert.Equal(7, counts[ActivityOutcomes.Created]);
        Assert.Equal(1, counts[ActivityOutcomes.Failed]);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TrimAsync_CountAndAge_KeepsOnlyTheNewestWithinAge(string kind)
    {
        var store = Create(kind);
        await store.AppendAsync([.. Enumerable.Range(0, 30).Select(i => Record("trima", i, 201))]);
        await store.AppendAsync([Record("trimb", 0, 201)]);

        await store.TrimAsync("trima", keep: 10, cutoff: T0);
        var kept = await store.QueryAsync("trima", new ActivityQuery { Count = 100 });
        await store.TrimAsync("trima", keep: 100, cutoff: T0.AddMinutes(25));
        var young = await store.QueryAsync("trima", new ActivityQuery { Count = 100 });

        Assert.Equal(Minutes(29, 20), kept.Records.Select(r => (int)(r.Time - T0).TotalMinutes));
        Assert.Equal(Minutes(29, 25), young.Records.Select(r => (int)(r.Time - T0).TotalMinutes));
        Assert.Single((await store.QueryAsync("trimb", new ActivityQuery())).Records);
    }

    private IActivityStore Create(string kind) => kind switch
    {
        "Sqlite" => new SqliteActivityStore(new SqliteFile(Path.Combine(Path.GetTempPath(), "rfpio-activity-tests", Guid.NewGuid().ToString("N"), "a.db")), "svc"),
        "AzureTable" => new AzureTableActivityStore(new TableServiceClient(_azurite.ConnectionString), "svc" + Guid.NewGuid().ToString("N")[..8]),
        "Postgres" => new PostgresActivityStore(postgres.Database, "svc" + Guid.NewGuid().ToString("N")[..8]),
        _ => new MemoryActivityStore(),
    };

    private static ActivityRecord Record(string tenant, int minute, int status) => new()
    {
        Tenant = tenant,
        Time = T0.AddMinutes(minute),
        Operation = "Users.Create",
        Outcome = ActivityRecords.OutcomeOf("Users.Create", status, false, false),
        Status = status,
        ScimType = status == 409 ? "uniqueness" : null,
        ResourceType = "User",
        UserName = $"user{minute}@example.com",
        UserAgent = "Microsoft.AAD.Provisioning",
        Query = minute % 3 == 0 && minute > 0 ? $"userName eq \"user{minute}@example.com\"" : null,
        DurationMs = 1.5,
    };

    private static int[] Minutes(int from, int downTo) => [.. Enumerable.Range(downTo, from - downTo + 1).Reverse()];
}
