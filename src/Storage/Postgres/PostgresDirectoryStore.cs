using Npgsql;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Storage.Postgres;

/// <summary>Directory rows on PostgreSQL: one row per (shard, resource).</summary>
internal sealed class PostgresDirectoryStore(PostgresDatabase database, string serviceId) : IDirectoryStore
{
    public async Task<IReadOnlyList<ResourceSummary>> ReadShardAsync(string shardKey)
    {
        using var activity = PostgresDatabase.StartActivity("read shard", "directory rows");
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, "SELECT resource_id, summary FROM rfpio_directory WHERE service_id = @s AND shard = @k", shardKey);
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
        using var activity = PostgresDatabase.StartActivity("upsert", "directory row");
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, """
            INSERT INTO rfpio_directory (service_id, shard, resource_id, summary) VALUES (@s, @k, @id, @j)
            ON CONFLICT (service_id, shard, resource_id) DO UPDATE SET summary = excluded.summary
            """, shardKey);
        command.Parameters.AddWithValue("id", summary.Id);
        command.Parameters.AddWithValue("j", summary.Json);
        await command.ExecuteNonQueryAsync();
    }

    public async Task RemoveAsync(string shardKey, string id)
    {
        using var activity = PostgresDatabase.StartActivity("delete", "directory row");
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, "DELETE FROM rfpio_directory WHERE service_id = @s AND shard = @k AND resource_id = @id", shardKey);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql, string shardKey)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("s", serviceId);
        command.Parameters.AddWithValue("k", shardKey);
        return command;
    }
}
