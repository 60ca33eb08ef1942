using Microsoft.Data.Sqlite;
using RfpioGateway.Grains;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Storage.Sqlite;

/// <summary>Activity in the node's SQLite file: one row per request, indexed by (tenant, sequence) and (tenant, time).</summary>
internal sealed class SqliteActivityStore : IActivityStore
{
    private static readonly string[] InsertParameters =
        ["$s", "$t", "$time", "$op", "$outcome", "$status", "$scimType", "$rtype", "$rid", "$user", "$agent", "$ms", "$trace", "$query"];

    private readonly SqliteFile _file;
    private readonly string _serviceId;

    public SqliteActivityStore(SqliteFile file, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
        _serviceId = serviceId;
        _file.EnsureSchema("""
            CREATE TABLE IF NOT EXISTS activity (
                seq           INTEGER PRIMARY KEY AUTOINCREMENT,
                service_id    TEXT NOT NULL,
                tenant        TEXT NOT NULL,
                time          INTEGER NOT NULL,
                operation     TEXT NOT NULL,
                outcome       TEXT NOT NULL,
                status        INTEGER NOT NULL,
                scim_type     TEXT,
                resource_type TEXT,
                resource_id   TEXT,
                user_name     TEXT,
                user_agent    TEXT,
                duration_ms   REAL NOT NULL,
                trace_id      TEXT
            );
            CREATE INDEX IF NOT EXISTS activity_by_tenant ON activity (service_id, tenant, seq);
            CREATE INDEX IF NOT EXISTS activity_by_time ON activity (service_id, tenant, time);
            """);
        // Added after the table's first revision: files written before it get the column, empty for their rows.
        _file.EnsureColumn("activity", "query", "TEXT");
    }

    public async Task AppendAsync(IReadOnlyList<ActivityRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        // One write for the whole batch: the file's writer commits it in one transaction.
        await _file.WriteAsync(writer =>
        {
            var insert = writer.Command("""
                INSERT INTO activity (service_id, tenant, time, operation, outcome, status, scim_type, resource_type, resource_id, user_name, user_agent, duration_ms, trace_id, query)
                VALUES ($s, $t, $time, $op, $outcome, $status, $scimType, $rtype, $rid, $user, $agent, $ms, $trace, $query)
                """);
            var parameters = InsertParameters.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            foreach (var r in records)
            {
                object?[] values = [_serviceId, r.Tenant, r.Time.ToUnixTimeMilliseconds(), r.Operation, r.Outcome, r.Status, r.ScimType, r.ResourceType, r.ResourceId, r.UserName, r.UserAgent, r.DurationMs, r.TraceId, r.Query];
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].Value = values[i] ?? DBNull.Value;
                }
                insert.ExecuteNonQuery();
            }
        });
    }

    public async Task<ActivityPage> QueryAsync(string tenant, ActivityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _file.OpenAsync();
        await using var command = connection.CreateCommand();
        ActivitySql.Query(command, "activity", _serviceId, tenant, query);
        return await ActivitySql.ReadPageAsync(command, tenant, query);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountAsync(string tenant, DateTimeOffset since)
    {
        await using var connection = await _file.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT outcome, COUNT(*) FROM activity WHERE service_id = $s AND tenant = $t AND time >= $since GROUP BY outcome";
        command.Parameters.AddWithValue("$s", _serviceId);
        command.Parameters.AddWithValue("$t", tenant);
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        var counts = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }
        return counts;
    }

    public async Task TrimAsync(string tenant, int keep, DateTimeOffset cutoff)
    {
        await _file.WriteAsync(writer =>
        {
            var command = writer.Command("""
                DELETE FROM activity WHERE service_id = $s AND tenant = $t AND (time < $cutoff OR seq <= COALESCE(
                    (SELECT seq FROM activity WHERE service_id = $s AND tenant = $t ORDER BY seq DESC LIMIT 1 OFFSET $keep), -1))
                """);
            command.Parameters.AddWithValue("$s", _serviceId);
            command.Parameters.AddWithValue("$t", tenant);
            command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$keep", keep);
            command.ExecuteNonQuery();
        });
    }
}
