using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Storage.Postgres;

/// <summary>
/// Grain storage on PostgreSQL, the same shape as the SQLite one: a row per (grain, state) holding the Orleans
/// binary form, and a row version as the ETag, checked in the statement that writes or clears, so two activations
/// of one grain (a silo declared dead while still running) can never overwrite each other. One round trip per
/// operation; a write returns once PostgreSQL has committed it (synchronous_commit, its default).
/// </summary>
internal sealed class PostgresGrainStorage : IGrainStorage
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly PostgresDatabase _database;
    private readonly Serializer _serializer;

    public PostgresGrainStorage(string name, PostgresDatabase database, ClusterOptions cluster, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _name = name;
        _database = database;
        _serviceId = cluster.ServiceId;
        _serializer = serializer;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (FreshGrain.Is(grainId))
        {
            Empty(grainState);
            return;
        }
        using var activity = PostgresDatabase.StartActivity("read", "grain state");
        await using var connection = await _database.OpenAsync();
        await using var command = Command(connection,
            "SELECT version, data FROM rfpio_grain_state WHERE service_id = @s AND grain_id = @g AND state_name = @n", stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = _serializer.Deserialize<T>(reader.GetFieldValue<byte[]>(1));
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
        using var activity = PostgresDatabase.StartActivity("write", "grain state");
        var data = _serializer.SerializeToArray(grainState.State);
        var etag = grainState.ETag;
        await using var connection = await _database.OpenAsync();
        long version;
        if (etag is null)
        {
            await using var insert = Command(connection,
                "INSERT INTO rfpio_grain_state (service_id, grain_id, state_name, version, data) VALUES (@s, @g, @n, 1, @d) ON CONFLICT DO NOTHING",
                stateName, grainId);
            insert.Parameters.AddWithValue("d", NpgsqlDbType.Bytea, data);
            version = await insert.ExecuteNonQueryAsync() == 0 ? throw Inconsistent("write", stateName, grainId, etag) : 1L;
        }
        else
        {
            var expected = long.Parse(etag, CultureInfo.InvariantCulture);
            await using var update = Command(connection,
                "UPDATE rfpio_grain_state SET version = @v, data = @d WHERE service_id = @s AND grain_id = @g AND state_name = @n AND version = @e",
                stateName, grainId);
            update.Parameters.AddWithValue("v", expected + 1);
            update.Parameters.AddWithValue("d", NpgsqlDbType.Bytea, data);
            update.Parameters.AddWithValue("e", expected);
            version = await update.ExecuteNonQueryAsync() == 0 ? throw Inconsistent("write", stateName, grainId, etag) : expected + 1;
        }
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        using var activity = PostgresDatabase.StartActivity("clear", "grain state");
        if (grainState.ETag is { } etag)
        {
            await using var connection = await _database.OpenAsync();
            await using var delete = Command(connection,
                "DELETE FROM rfpio_grain_state WHERE service_id = @s AND grain_id = @g AND state_name = @n AND version = @e", stateName, grainId);
            delete.Parameters.AddWithValue("e", long.Parse(etag, CultureInfo.InvariantCulture));
            if (await delete.ExecuteNonQueryAsync() == 0)
            {
                throw Inconsistent("clear", stateName, grainId, etag);
            }
        }
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("s", _serviceId);
        command.Parameters.AddWithValue("g", grainId.ToString());
        command.Parameters.AddWithValue("n", stateName);
        return command;
    }

    private InconsistentStateException Inconsistent(string operation, string stateName, GrainId grainId, string? etag) =>
        new($"PostgreSQL {operation} of {grainId}/{stateName} in storage '{_name}' found another version than {etag ?? "none"}.", etag ?? "", "unknown");
}
