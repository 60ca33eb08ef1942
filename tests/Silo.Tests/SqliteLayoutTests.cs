using System.Text;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Events;
using RfpioGateway.Storage.Sqlite;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Rows of about a kilobyte (a summary, an event) fit in the table's own pages. In a WITHOUT ROWID table SQLite keeps
/// at most about a quarter of a 4 KiB page of a row in the b-tree and moves the rest to an overflow page of its own,
/// so every such row took two pages and every write wrote both; these stores' tables are ordinary rowid tables.
/// </summary>
public sealed class SqliteLayoutTests
{
    private const int Rows = 1000;

    [Fact]
    public async Task UpsertAsync_SummariesOfAKilobyte_FewerPagesThanRows()
    {
        var file = NewFile();
        var store = new SqliteDirectoryStore(file, "layout");
        var body = new string('x', 1100);

        for (var i = 0; i < Rows; i++)
        {
            await store.UpsertAsync("tenant/users/0", new ResourceSummary(ResourceIds.New(), $"{{\"n\":{i},\"b\":\"{body}\"}}"));
        }

        Assert.Equal(Rows, (await store.ReadShardAsync("tenant/users/0")).Count);
        Assert.InRange(await PagesAsync(file), 1, Rows / 2);
    }

    [Fact]
    public async Task AppendAsync_EventsOfAKilobyte_FewerPagesThanRows()
    {
        var file = NewFile();
        var store = new SqliteEventStore(file, "layout");
        var document = Encoding.UTF8.GetBytes($"{{\"userName\":\"{new string('x', 700)}\"}}");
        var now = DateTimeOffset.UnixEpoch;

        for (var i = 1; i <= Rows; i++)
        {
            await store.AppendAsync("layout", [new ChangeEvent(i, "User", ResourceIds.New(), 1, ChangeKind.Create, now, ["userName"], document, now, null)]);
        }

        Assert.Equal(Rows, await store.HeadAsync("layout"));
        Assert.InRange(await PagesAsync(file), 1, Rows / 2);
    }

    private static SqliteFile NewFile() =>
        new(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N"), "layout.db"));

    /// <summary>The pages the file's data takes, counted after the WAL is checkpointed into it.</summary>
    private static async Task<long> PagesAsync(SqliteFile file)
    {
        await using var connection = await file.OpenAsync();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await checkpoint.ExecuteNonQueryAsync();
        using var count = connection.CreateCommand();
        count.CommandText = "PRAGMA page_count";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
