using Microsoft.Data.Sqlite;
using RfpioGateway.Storage.Sqlite;

namespace RfpioGateway.Silo.Tests;

/// <summary>Group commit: writes that queue together share a transaction, and each one still succeeds or fails alone.</summary>
public sealed class SqliteFileTests
{
    [Fact]
    public async Task WriteAsync_ConcurrentWritesOneThrows_OnlyItsChangesAreRolledBack()
    {
        var file = NewFile();
        var writes = Enumerable.Range(0, 200).Select(i => Task.Run(() => file.WriteAsync(writer =>
        {
            Insert(writer, i);
            if (i == 77)
            {
                throw new InvalidOperationException("write 77 refuses after inserting");
            }
            return i;
        }))).ToList();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[77]);
        Assert.Equal("write 77 refuses after inserting", failure.Message);
        var results = await Task.WhenAll(writes.Where((_, i) => i != 77));
        Assert.Equal(Enumerable.Range(0, 200).Where(i => i != 77), results.Order());
        var stored = await ReadAllAsync(file);
        Assert.Equal(Enumerable.Range(0, 200).Where(i => i != 77), stored);
    }

    [Fact]
    public async Task WriteAsync_MoreQueuedThanOneBatch_EveryWriteCommitted()
    {
        var file = NewFile();
        // Queue far more writes than one batch takes while the writer is busy, so later ones wait behind full batches.
        var gate = new ManualResetEventSlim();
        var blocker = Task.Run(() => file.WriteAsync(writer =>
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            Insert(writer, -1);
        }));
        var writes = Enumerable.Range(0, 1000).Select(i => file.WriteAsync(writer => Insert(writer, i))).ToList();
        gate.Set();

        await blocker;
        await Task.WhenAll(writes);

        Assert.Equal(Enumerable.Range(-1, 1001), await ReadAllAsync(file));
    }

    [Fact]
    public async Task WriteAsync_AnyWrite_RunsWithItsSavepointJournalInMemory()
    {
        var file = NewFile();

        // 2 is MEMORY: a savepoint's sub-journal is not a temporary file created and deleted per batch.
        var store = await file.WriteAsync(writer => (long)writer.Command("PRAGMA temp_store").ExecuteScalar()!);

        Assert.Equal(2, store);
    }

    [Fact]
    public async Task WriteAsync_Completed_VisibleToANewReader()
    {
        var file = NewFile();

        await file.WriteAsync(writer => Insert(writer, 1));

        Assert.Equal([1], await ReadAllAsync(file));
    }

    [Fact]
    public async Task WriteAsync_AWriteBreaksTheConnection_ItsBatchFailsAndLaterWritesCommitOnANewOne()
    {
        var file = NewFile();
        await file.WriteAsync(writer => Insert(writer, 1));

        // Closing the writer's connection from inside a write is the nearest a test comes to the file failing under
        // it: the savepoint cannot be rolled back and the commit cannot run.
        var broken = file.WriteAsync(writer =>
        {
            Insert(writer, 2);
            writer.Connection.Close();
            throw new InvalidOperationException("the connection went away");
        });
        await Assert.ThrowsAnyAsync<Exception>(() => broken);
        await file.WriteAsync(writer => Insert(writer, 3));

        Assert.Equal([1, 3], await ReadAllAsync(file));
    }

    private static SqliteFile NewFile()
    {
        var file = new SqliteFile(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N"), "file.db"));
        file.EnsureSchema("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY);");
        return file;
    }

    private static void Insert(SqliteWriter writer, int key)
    {
        var command = writer.Command("INSERT INTO t (k) VALUES ($k)");
        command.Parameters.AddWithValue("$k", key);
        command.ExecuteNonQuery();
    }

    private static async Task<List<int>> ReadAllAsync(SqliteFile file)
    {
        await using var connection = await file.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT k FROM t ORDER BY k";
        var keys = new List<int>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetInt32(0));
        }
        return keys;
    }
}
