using Microsoft.Data.Sqlite;

namespace RfpioGateway.Silo.Storage;

/// <summary>
/// The node's SQLite file, shared by grain storage, the directory and the activity log: one connection string
/// (pooled), WAL mode, the schema each store needs created once, and one writer at a time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "The semaphore lives as long as the process and never allocates a wait handle (no AvailableWaitHandle), so there is nothing to dispose.")]
public sealed class SqliteFile
{
    private readonly string _connectionString;

    // SQLite allows one writer; a second one gets SQLITE_BUSY, which Microsoft.Data.Sqlite answers by sleeping and
    // retrying (150 ms at a time), so contended writes took 150 ms multiples (p99 over a second under load). Queueing
    // writers here instead makes each wait exactly as long as the writes before it.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteFile(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Path = fullPath;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = true, DefaultTimeout = 30 }.ToString();
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

    /// <summary>A connection for reads (WAL readers never wait for the writer).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>A connection for writes: the caller is this file's only writer until it disposes the lease.</summary>
    public async Task<WriteLease> OpenForWriteAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return new WriteLease(await OpenAsync(cancellationToken), _writer);
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    /// <summary>The writer's connection; disposing it lets the next writer in.</summary>
    public sealed class WriteLease(SqliteConnection connection, SemaphoreSlim writer) : IAsyncDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Connection.DisposeAsync();
            }
            finally
            {
                writer.Release();
            }
        }
    }
}
