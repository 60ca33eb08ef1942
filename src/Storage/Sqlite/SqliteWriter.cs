using Microsoft.Data.Sqlite;

namespace RfpioGateway.Storage.Sqlite;

/// <summary>
/// The file's one writing connection, open for the life of the process, and the statements compiled on it.
/// Microsoft.Data.Sqlite compiles a command's SQL again for every new command and throws it away when the command or
/// the pooled connection closes; a write's few fixed statements (and the batch's savepoints) are compiled here once.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    // Statements are fixed strings in code, so this never fills; the bound only keeps a mistake from growing it.
    private const int MaxStatements = 128;

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public SqliteWriter(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>
    /// The command for <paramref name="sql"/>, its parameters cleared, in the batch's transaction. It is this writer's
    /// and used again by the next write: bind and execute it, never dispose it.
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count >= MaxStatements)
            {
                DisposeCommands();
            }
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = _transaction;
        return command;
    }

    internal void Begin() => _transaction = Connection.BeginTransaction();

    internal void Commit()
    {
        _transaction!.Commit();
        End();
    }

    /// <summary>Ends the batch's transaction; rolls it back when it was not committed.</summary>
    internal void End()
    {
        _transaction?.Dispose();
        _transaction = null;
    }

    internal void Execute(string sql) => Command(sql).ExecuteNonQuery();

    public void Dispose()
    {
        End();
        DisposeCommands();
        Connection.Dispose();
    }

    private void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
