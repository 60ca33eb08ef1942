using Npgsql;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Postgres;

namespace RfpioGateway.Storage.Events;

/// <summary>Feeds on PostgreSQL: a row per event, the key unique per tenant, like the SQLite table.</summary>
internal sealed class PostgresEventStore(PostgresDatabase database, string serviceId) : IEventStore
{
    public async Task AppendAsync(string tenant, IReadOnlyList<ChangeEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        using var activity = PostgresDatabase.StartActivity("append", "event");
        await using var connection = await database.OpenAsync();
        // One round trip and, being one batch, one implicit transaction: all the events or none.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var change in changes)
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO rfpio_events (service_id, tenant, seq, key, time, body) VALUES (@s, @t, @q, @k, @time, @b)");
            insert.Parameters.AddWithValue("s", serviceId);
            insert.Parameters.AddWithValue("t", tenant);
            insert.Parameters.AddWithValue("q", change.Sequence);
            insert.Parameters.AddWithValue("k", change.Key);
            insert.Parameters.AddWithValue("time", change.Time.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("b", ChangeEventJson.Write(change));
            batch.BatchCommands.Add(insert);
        }
        await batch.ExecuteNonQueryAsync();
    }

    public async Task<long?> FindAsync(string tenant, string key)
    {
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, "SELECT seq FROM rfpio_events WHERE service_id = @s AND tenant = @t AND key = @k", tenant);
        command.Parameters.AddWithValue("k", key);
        return await command.ExecuteScalarAsync() is long sequence ? sequence : null;
    }

    public async Task<long> HeadAsync(string tenant)
    {
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, "SELECT MAX(seq) FROM rfpio_events WHERE service_id = @s AND tenant = @t", tenant);
        return await command.ExecuteScalarAsync() is long head ? head : 0;
    }

    public async Task<IReadOnlyList<ChangeEvent>> ReadAsync(string tenant, long after, int max)
    {
        using var activity = PostgresDatabase.StartActivity("read", "events");
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection,
            "SELECT body FROM rfpio_events WHERE service_id = @s AND tenant = @t AND seq > @a ORDER BY seq LIMIT @n", tenant);
        command.Parameters.AddWithValue("a", after);
        command.Parameters.AddWithValue("n", max);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<ChangeEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(ChangeEventJson.Read(reader.GetString(0)));
        }
        return events;
    }

    public async Task TrimAsync(string tenant, DateTimeOffset cutoff, int keep)
    {
        await using var connection = await database.OpenAsync();
        // The newest event stays whatever its age, so the head (the next sequence) survives a restart.
        await using var command = Command(connection, """
            DELETE FROM rfpio_events WHERE service_id = @s AND tenant = @t
              AND seq < (SELECT MAX(seq) FROM rfpio_events WHERE service_id = @s AND tenant = @t)
              AND (time < @cutoff OR seq <= (SELECT MAX(seq) FROM rfpio_events WHERE service_id = @s AND tenant = @t) - @keep)
            """, tenant);
        command.Parameters.AddWithValue("cutoff", cutoff.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("keep", (long)keep);
        await command.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql, string tenant)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("s", serviceId);
        command.Parameters.AddWithValue("t", tenant);
        return command;
    }
}
