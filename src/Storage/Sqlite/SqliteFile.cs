using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RfpioGateway.Storage.Sqlite;

/// <summary>
/// The node's SQLite file, shared by grain storage, the directory and the activity log: one connection string
/// (pooled), WAL mode, the schema each store needs created once, and one writer at a time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "A file lives as long as the process: its semaphore never allocates a wait handle (no AvailableWaitHandle), and its writer's connection is closed with the process, as pooled connections are.")]
internal sealed class SqliteFile
{
    // Bounds one transaction; what is left stays queued for the next batch.
    private const int MaxBatch = 256;

    private readonly string _connectionString;
    private readonly string _writerConnectionString;

    // SQLite allows one writer; a second one gets SQLITE_BUSY, which Microsoft.Data.Sqlite answers by sleeping and
    // retrying (150 ms at a time), so contended writes took 150 ms multiples (p99 over a second under load). Queueing
    // writers here instead makes each wait exactly as long as the writes before it, and lets them share commits.
    private readonly SemaphoreSlim _writerTurn = new(1, 1);
    private readonly ConcurrentQueue<PendingWrite> _queue = new();

    // Only touched by the holder of _writerTurn.
    private SqliteWriter? _writer;

    public SqliteFile(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Path = fullPath;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = true, DefaultTimeout = 30 }.ToString();
        // Not from the pool: the writer's connection stays open, so its page cache and compiled statements stay warm.
        _writerConnectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = false, DefaultTimeout = 30 }.ToString();
    }

    public string Path { get; }

    /// <summary>
    /// Creates the folder and runs <paramref name="schemaSql"/> (idempotent DDL) in WAL mode. Synchronous: it runs
    /// once at start-up, and Microsoft.Data.Sqlite does its I/O synchronously anyway.
    /// </summary>
    public void EnsureSchema(string schemaSql)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;\n" + schemaSql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Adds a column a later revision needs to a table an earlier one created (SQLite has no ADD COLUMN IF NOT
    /// EXISTS). Run at start-up, like <see cref="EnsureSchema"/>.
    /// </summary>
    public void EnsureColumn(string table, string column, string definition)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = $"SELECT 1 FROM pragma_table_info('{table}') WHERE name = $column";
        read.Parameters.AddWithValue("$column", column);
        if (read.ExecuteScalar() is null)
        {
            using var alter = connection.CreateCommand();
            alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
            alter.ExecuteNonQuery();
        }
    }

    /// <summary>A connection for reads (WAL readers never wait for the writer).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="write"/> as this file's only writer and returns once it is committed. Writes that queue up
    /// while another batch commits are committed together (group commit): each runs inside its own savepoint, so one
    /// that throws is rolled back alone and gets its exception, and the rest share one transaction and one fsync.
    /// The delegate runs synchronously on the writer's connection and must not wait on another write.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteWriter, T> write)
    {
        var pending = new PendingWrite<T>(write);
        _queue.Enqueue(pending);
        await _writerTurn.WaitAsync();
        try
        {
            // An earlier writer may have committed this one in its batch while it waited. If not, commit batches until
            // it is: a batch takes at most MaxBatch writes from the head of the queue, and this one is in there.
            if (!pending.Task.IsCompleted)
            {
                try
                {
                    while (!pending.Task.IsCompleted)
                    {
                        _writer ??= await OpenWriterAsync();
                        if (!CommitQueued(_writer))
                        {
                            // The connection may be what failed: the next batch opens a new one.
                            _writer.Dispose();
                            _writer = null;
                        }
                    }
                }
                catch (Exception exception)
                {
                    // The file could not be opened: this write fails now, and no later batch may commit it behind
                    // its caller's back (batches skip writes that already have an outcome).
                    pending.Fail(exception);
                    throw;
                }
            }
        }
        finally
        {
            _writerTurn.Release();
        }
        return await pending.Task;
    }

    public Task WriteAsync(Action<SqliteWriter> write) =>
        WriteAsync(writer =>
        {
            write(writer);
            return true;
        });

    private async Task<SqliteWriter> OpenWriterAsync()
    {
        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            await connection.OpenAsync();
            // Each write's savepoint needs a sub-journal once a later write in the batch changes a page an earlier one
            // did. By default that is a temporary file, created and deleted in /var/tmp per batch; in memory it costs
            // a few pages. It is never read after a crash (the WAL is), so durability is the same.
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA temp_store = MEMORY";
            await pragma.ExecuteNonQueryAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new SqliteWriter(connection);
    }

    /// <summary>Commits one batch; false when the commit failed (every write in it then has that exception).</summary>
    private bool CommitQueued(SqliteWriter writer)
    {
        var batch = new List<PendingWrite>();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            if (!next.HasOutcome)
            {
                batch.Add(next);
            }
        }
        var done = new List<PendingWrite>(batch.Count);
        try
        {
            writer.Begin();
            foreach (var write in batch)
            {
                writer.Execute("SAVEPOINT write");
                try
                {
                    write.Run(writer);
                    writer.Execute("RELEASE write");
                    done.Add(write);
                }
#pragma warning disable CA1031 // The writer's failure is its own: it gets the exception, the batch goes on.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    writer.Execute("ROLLBACK TO write");
                    writer.Execute("RELEASE write");
                    write.Fail(exception);
                }
            }
            writer.Commit();
        }
#pragma warning disable CA1031 // A failed commit fails every write in the batch that had not failed already.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            writer.End();
            foreach (var write in batch)
            {
                write.Fail(exception);
            }
            return false;
        }
        foreach (var write in done)
        {
            write.Complete();
        }
        return true;
    }

    private abstract class PendingWrite
    {
        public abstract bool HasOutcome { get; }

        public abstract void Run(SqliteWriter writer);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<SqliteWriter, T> write) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public override bool HasOutcome => _completion.Task.IsCompleted;

        public override void Run(SqliteWriter writer) => _result = write(writer);

        public override void Complete() => _completion.TrySetResult(_result);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
