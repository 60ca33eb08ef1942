using System.Diagnostics;
using Microsoft.Data.Sqlite;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Storage.Sqlite;

/// <summary>Directory rows in the node's SQLite file: one row per (shard, user).</summary>
internal sealed class SqliteDirectoryStore : IDirectoryStore
{
    private readonly SqliteFile _file;
    private readonly string _serviceId;

    public SqliteDirectoryStore(SqliteFile file, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
        _serviceId = serviceId;
        // Created at construction (silo start), before any shard can activate. A rowid table: summaries are about a
        // kilobyte (see SqliteGrainStorage).
        _file.EnsureSchema("""
            CREATE TABLE IF NOT EXISTS directory (
                service_id TEXT NOT NULL,
                shard      TEXT NOT NULL,
                user_id    TEXT NOT NULL,
                summary    TEXT NOT NULL,
                PRIMARY KEY (service_id, shard, user_id)
            );
            """);
    }

    public async Task<IReadOnlyList<ResourceSummary>> ReadShardAsync(string shardKey)
    {
        using var activity = StartActivity("read shard");
        await using var connection = await _file.OpenAsync();
        await using var command = Command(connection, "SELECT user_id, summary FROM directory WHERE service_id = $s AND shard = $k", shardKey);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ResourceSummary>();
        while (await reader.ReadAsync())
        {
            rows.Add(new ResourceSummary(reader.GetString(0), reader.GetString(1)));
        }
        return rows;
    }

    public async Task UpsertAsync(string shardKey, ResourceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var activity = StartActivity("upsert");
        await _file.WriteAsync(writer =>
        {
            var command = Command(writer,
                "INSERT INTO directory (service_id, shard, user_id, summary) VALUES ($s, $k, $u, $j) ON CONFLICT DO UPDATE SET summary = excluded.summary",
                shardKey);
            command.Parameters.AddWithValue("$u", summary.Id);
            command.Parameters.AddWithValue("$j", summary.Json);
            command.ExecuteNonQuery();
        });
    }

    public async Task RemoveAsync(string shardKey, string id)
    {
        using var activity = StartActivity("delete");
        await _file.WriteAsync(writer =>
        {
            var command = Command(writer, "DELETE FROM directory WHERE service_id = $s AND shard = $k AND user_id = $u", shardKey);
            command.Parameters.AddWithValue("$u", id);
            command.ExecuteNonQuery();
        });
    }

    private static Activity? StartActivity(string operation)
    {
        var activity = StorageTelemetry.Source.StartActivity($"sqlite {operation} directory row", ActivityKind.Client);
        activity?.SetTag("db.system.name", "sqlite");
        activity?.SetTag("db.operation.name", operation);
        return activity;
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, string shardKey)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return Bind(command, shardKey);
    }

    /// <summary>The writer's compiled command for <paramref name="sql"/>: not to be disposed (<see cref="SqliteWriter.Command"/>).</summary>
    private SqliteCommand Command(SqliteWriter writer, string sql, string shardKey) => Bind(writer.Command(sql), shardKey);

    private SqliteCommand Bind(SqliteCommand command, string shardKey)
    {
        command.Parameters.AddWithValue("$s", _serviceId);
        command.Parameters.AddWithValue("$k", shardKey);
        return command;
    }
}
