using System.Text;
using Npgsql;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Storage.Postgres;

/// <summary>Activity on PostgreSQL: one row per request, indexed by (tenant, sequence) and (tenant, time), like the SQLite table.</summary>
internal sealed class PostgresActivityStore(PostgresDatabase database, string serviceId) : IActivityStore
{
    private const string Columns = "seq, time, operation, outcome, status, scim_type, resource_type, resource_id, user_name, user_agent, duration_ms, trace_id, query";

    public async Task AppendAsync(IReadOnlyList<ActivityRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }
        using var activity = PostgresDatabase.StartActivity("append", "activity rows");
        await using var connection = await database.OpenAsync();
        // One statement for the batch: columns as arrays, unnested into rows, so a batch costs one round trip.
        await using var insert = new NpgsqlCommand("""
            INSERT INTO rfpio_activity (service_id, tenant, time, operation, outcome, status, scim_type, resource_type, resource_id, user_name, user_agent, duration_ms, trace_id, query)
            SELECT @s, * FROM unnest(@tenant::text[], @time::bigint[], @op::text[], @outcome::text[], @status::int[], @scimType::text[], @rtype::text[],
                                     @rid::text[], @user::text[], @agent::text[], @ms::float8[], @trace::text[], @query::text[])
            """, connection);
        insert.Parameters.AddWithValue("s", serviceId);
        insert.Parameters.AddWithValue("tenant", records.Select(r => r.Tenant).ToArray());
        insert.Parameters.AddWithValue("time", records.Select(r => r.Time.ToUnixTimeMilliseconds()).ToArray());
        insert.Parameters.AddWithValue("op", records.Select(r => r.Operation).ToArray());
        insert.Parameters.AddWithValue("outcome", records.Select(r => r.Outcome).ToArray());
        insert.Parameters.AddWithValue("status", records.Select(r => r.Status).ToArray());
        insert.Parameters.AddWithValue("scimType", records.Select(r => r.ScimType).ToArray());
        insert.Parameters.AddWithValue("rtype", records.Select(r => r.ResourceType).ToArray());
        insert.Parameters.AddWithValue("rid", records.Select(r => r.ResourceId).ToArray());
        insert.Parameters.AddWithValue("user", records.Select(r => r.UserName).ToArray());
        insert.Parameters.AddWithValue("agent", records.Select(r => r.UserAgent).ToArray());
        insert.Parameters.AddWithValue("ms", records.Select(r => r.DurationMs).ToArray());
        insert.Parameters.AddWithValue("trace", records.Select(r => r.TraceId).ToArray());
        insert.Parameters.AddWithValue("query", records.Select(r => r.Query).ToArray());
        await insert.ExecuteNonQueryAsync();
    }

    public async Task<ActivityPage> QueryAsync(string tenant, ActivityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, tenant);
        var sql = new StringBuilder($"SELECT {Columns} FROM rfpio_activity WHERE service_id = @s AND tenant = @t");
        if (query.Result is "success" or "failure")
        {
            sql.Append(query.Result == "failure" ? " AND status >= 400" : " AND status < 400");
        }
        if (query.Operation is { } operation)
        {
            sql.Append(" AND operation = @op");
            command.Parameters.AddWithValue("op", operation);
        }
        if (query.From is { } from)
        {
            sql.Append(" AND time >= @from");
            command.Parameters.AddWithValue("from", from.ToUnixTimeMilliseconds());
        }
        if (query.To is { } to)
        {
            sql.Append(" AND time <= @to");
            command.Parameters.AddWithValue("to", to.ToUnixTimeMilliseconds());
        }
        if (query.Before is { } before)
        {
            sql.Append(" AND seq < @before");
            command.Parameters.AddWithValue("before", before);
        }
        sql.Append(" ORDER BY seq DESC LIMIT @n");
        command.Parameters.AddWithValue("n", query.Count + 1);
        command.CommandText = sql.ToString();
        var records = new List<ActivityRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(new ActivityRecord
            {
                Tenant = tenant,
                Sequence = reader.GetInt64(0),
                Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Operation = reader.GetString(2),
                Outcome = reader.GetString(3),
                Status = reader.GetInt32(4),
                ScimType = Text(reader, 5),
                ResourceType = Text(reader, 6),
                ResourceId = Text(reader, 7),
                UserName = Text(reader, 8),
                UserAgent = Text(reader, 9),
                DurationMs = reader.GetDouble(10),
                TraceId = Text(reader, 11),
                Query = Text(reader, 12),
            });
        }
        var next = records.Count > query.Count ? records[query.Count - 1].Sequence : (long?)null;
        return new ActivityPage([.. records.Take(query.Count)], next);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountAsync(string tenant, DateTimeOffset since)
    {
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, tenant);
        command.CommandText = "SELECT outcome, COUNT(*)::int FROM rfpio_activity WHERE service_id = @s AND tenant = @t AND time >= @since GROUP BY outcome";
        command.Parameters.AddWithValue("since", since.ToUnixTimeMilliseconds());
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
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, tenant);
        command.CommandText = """
            DELETE FROM rfpio_activity WHERE service_id = @s AND tenant = @t AND (time < @cutoff OR seq <= COALESCE(
                (SELECT seq FROM rfpio_activity WHERE service_id = @s AND tenant = @t ORDER BY seq DESC LIMIT 1 OFFSET @keep), -1))
            """;
        command.Parameters.AddWithValue("cutoff", cutoff.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("keep", keep);
        await command.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string tenant)
    {
        var command = new NpgsqlCommand { Connection = connection };
        command.Parameters.AddWithValue("s", serviceId);
        command.Parameters.AddWithValue("t", tenant);
        return command;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
