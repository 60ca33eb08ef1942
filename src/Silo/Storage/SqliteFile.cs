using Microsoft.Data.Sqlite;

namespace RfpioGateway.Silo.Storage;

/// <summary>
/// The node's SQLite file, shared by grain storage and the directory: one connection string (pooled), WAL mode,
/// and the schema each store needs created once.
/// </summary>
public sealed class SqliteFile
{
    private readonly string _connectionString;

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

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
