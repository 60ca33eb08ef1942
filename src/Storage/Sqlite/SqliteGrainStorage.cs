using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage;

namespace RfpioGateway.Storage.Sqlite;

/// <summary>
/// Grain storage in one SQLite file (WAL mode) for a single node. A row per (grain, state); the ETag is a row
/// version checked on every write and clear, so two activations of one grain can never overwrite each other.
/// States are stored with the Orleans binary serializer.
/// </summary>
internal sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly SqliteFile _file;
    private readonly Serializer _serializer;

    public SqliteGrainStorage(string name, SqliteFile file, ClusterOptions cluster, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _name = name;
        _file = file;
        _serviceId = cluster.ServiceId;
        _serializer = serializer;
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{_name}", ServiceLifecycleStage.ApplicationServices, InitializeAsync);
    }

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        // Not WITHOUT ROWID: a user's state is about a kilobyte, and such a table keeps at most about a quarter of a
        // 4 KiB page of a row in the b-tree, the rest in an overflow page of its own, so every row took two pages and
        // every write wrote both (SqliteLayoutTests). Files an earlier revision made keep that layout; both work.
        _file.EnsureSchema("""
            CREATE TABLE IF NOT EXISTS grain_state (
                service_id TEXT NOT NULL,
                grain_id   TEXT NOT NULL,
                state_name TEXT NOT NULL,
                version    INTEGER NOT NULL,
                data       BLOB NOT NULL,
                PRIMARY KEY (service_id, grain_id, state_name)
            );
            """);
        return Task.CompletedTask;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (FreshGrain.Is(grainId))
        {
            Empty(grainState);
            return;
        }
        using var activity = StartActivity("read", stateName);
        await using var connection = await _file.OpenAsync();
        await using var command = Command(connection, "SELECT version, data FROM grain_state WHERE service_id = $s AND grain_id = $g AND state_name = $n", stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = _serializer.Deserialize<T>((byte[])reader.GetValue(1));
            grainState.ETag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            Empty(grainState);
        }
    }

    private static void Empty<T>(IGrainState<T> grainState)
    {
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        using var activity = StartActivity("write", stateName);
        var data = _serializer.SerializeToArray(grainState.State);
        var etag = grainState.ETag;
        var version = await _file.WriteAsync(writer =>
        {
            if (etag is null)
            {
                var insert = Command(writer,
                    "INSERT INTO grain_state (service_id, grain_id, state_name, version, data) VALUES ($s, $g, $n, 1, $d) ON CONFLICT DO NOTHING",
                    stateName, grainId);
                insert.Parameters.AddWithValue("$d", data);
                return insert.ExecuteNonQuery() == 0 ? throw Inconsistent("write", stateName, grainId, etag) : 1L;
            }
            var expected = long.Parse(etag, CultureInfo.InvariantCulture);
            var update = Command(writer,
                "UPDATE grain_state SET version = $v, data = $d WHERE service_id = $s AND grain_id = $g AND state_name = $n AND version = $e",
                stateName, grainId);
            update.Parameters.AddWithValue("$v", expected + 1);
            update.Parameters.AddWithValue("$d", data);
            update.Parameters.AddWithValue("$e", expected);
            return update.ExecuteNonQuery() == 0 ? throw Inconsistent("write", stateName, grainId, etag) : expected + 1;
        });
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        using var activity = StartActivity("clear", stateName);
        if (grainState.ETag is not null)
        {
            var etag = grainState.ETag;
            await _file.WriteAsync(writer =>
            {
                var delete = Command(writer,
                    "DELETE FROM grain_state WHERE service_id = $s AND grain_id = $g AND state_name = $n AND version = $e", stateName, grainId);
                delete.Parameters.AddWithValue("$e", long.Parse(etag, CultureInfo.InvariantCulture));
                if (delete.ExecuteNonQuery() == 0)
                {
                    throw Inconsistent("clear", stateName, grainId, etag);
                }
            });
        }
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static Activity? StartActivity(string operation, string stateName)
    {
        var activity = StorageTelemetry.Source.StartActivity($"sqlite {operation} grain state", ActivityKind.Client);
        activity?.SetTag("db.system.name", "sqlite");
        activity?.SetTag("db.operation.name", operation);
        activity?.SetTag("orleans.state", stateName);
        return activity;
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return Bind(command, stateName, grainId);
    }

    /// <summary>The writer's compiled command for <paramref name="sql"/>: not to be disposed (<see cref="SqliteWriter.Command"/>).</summary>
    private SqliteCommand Command(SqliteWriter writer, string sql, string stateName, GrainId grainId) => Bind(writer.Command(sql), stateName, grainId);

    private SqliteCommand Bind(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$s", _serviceId);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        command.Parameters.AddWithValue("$n", stateName);
        return command;
    }

    private InconsistentStateException Inconsistent(string operation, string stateName, GrainId grainId, string? etag) =>
        new($"SQLite {operation} of {grainId}/{stateName} in storage '{_name}' found another version than {etag ?? "none"}.", etag ?? "", "unknown");
}
