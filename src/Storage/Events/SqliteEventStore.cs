using Microsoft.Data.Sqlite;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Sqlite;

namespace RfpioGateway.Storage.Events;

/// <summary>Feeds in the node's SQLite file: a row per event, the key unique per tenant.</summary>
internal sealed class SqliteEventStore : IEventStore
{
    private readonly SqliteFile _file;
    private readonly string _serviceId;

    public SqliteEventStore(SqliteFile file, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
        _serviceId = serviceId;
        // A rowid table: an event carries its document, about a kilobyte (see SqliteGrainStorage).
        _file.EnsureSchema("""
            CREATE TABLE IF NOT EXISTS events (
                service_id TEXT NOT NULL,
                tenant     TEXT NOT NULL,
                seq        INTEGER NOT NULL,
                key        TEXT NOT NULL,
                time       INTEGER NOT NULL,
                body       TEXT NOT NULL,
                PRIMARY KEY (service_id, tenant, seq)
            );
            CREATE UNIQUE INDEX IF NOT EXISTS events_key ON events (service_id, tenant, key);
            """);
    }

    public Task AppendAsync(string tenant, IReadOnlyList<ChangeEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return _file.WriteAsync(writer =>
        {
            var command = Command(writer, "INSERT INTO events (service_id, tenant, seq, key, time, body) VALUES ($s, $t, $q, $k, $time, $b)", tenant);
            var sequence = command.Parameters.Add("$q", SqliteType.Integer);
            var key = command.Parameters.Add("$k", SqliteType.Text);
            var time = command.Parameters.Add("$time", SqliteType.Integer);
            var body = command.Parameters.Add("$b", SqliteType.Text);
            foreach (var change in changes)
            {
                sequence.Value = change.Sequence;
                key.Value = change.Key;
                time.Value = change.Time.ToUnixTimeMilliseconds();
                body.Value = ChangeEventJson.Write(change);
                command.ExecuteNonQuery();
            }
        });
    }

    public async Task<long?> FindAsync(string tenant, string key)
    {
        await using var connection = await _file.OpenAsync();
        await using var command = Command(connection, "SELECT seq FROM events WHERE service_id = $s AND tenant = $t AND key = $k", tenant);
        command.Parameters.AddWithValue("$k", key);
        return await command.ExecuteScalarAsync() is long sequence ? sequence : null;
    }

    public async Task<long> HeadAsync(string tenant)
    {
        await using var connection = await _file.OpenAsync();
        await using var command = Command(connection, "SELECT MAX(seq) FROM events WHERE service_id = $s AND tenant = $t", tenant);
        return await command.ExecuteScalarAsync() is long head ? head : 0;
    }

    public async Task<IReadOnlyList<ChangeEvent>> ReadAsync(string tenant, long after, int max)
    {
        await using var connection = await _file.OpenAsync();
        await using var command = Command(connection,
            "SELECT body FROM events WHERE service_id = $s AND tenant = $t AND seq > $a ORDER BY seq LIMIT $n", tenant);
        command.Parameters.AddWithValue("$a", after);
        command.Parameters.AddWithValue("$n", max);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<ChangeEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(ChangeEventJson.Read(reader.GetString(0)));
        }
        return events;
    }

    public Task TrimAsync(string tenant, DateTimeOffset cutoff, int keep) =>
        _file.WriteAsync(writer =>
        {
            // The newest event stays whatever its age, so the head (the next sequence) survives a restart.
            var command = Command(writer, """
                DELETE FROM events WHERE service_id = $s AND tenant = $t
                  AND seq < (SELECT MAX(seq) FROM events WHERE service_id = $s AND tenant = $t)
                  AND (time < $cutoff OR seq <= (SELECT MAX(seq) FROM events WHERE service_id = $s AND tenant = $t) - $keep)
                """, tenant);
            command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$keep", keep);
            command.ExecuteNonQuery();
        });

    private SqliteCommand Command(SqliteConnection connection, string sql, string tenant)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return Bind(command, tenant);
    }

    /// <summary>The writer's compiled command for <paramref name="sql"/>: not to be disposed (<see cref="SqliteWriter.Command"/>).</summary>
    private SqliteCommand Command(SqliteWriter writer, string sql, string tenant) => Bind(writer.Command(sql), tenant);

    private SqliteCommand Bind(SqliteCommand command, string tenant)
    {
        command.Parameters.AddWithValue("$s", _serviceId);
        command.Parameters.AddWithValue("$t", tenant);
        return command;
    }
}
