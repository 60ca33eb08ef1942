using Npgsql;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Storage.Postgres;

/// <summary>Activity on PostgreSQL: one row per request, indexed by (tenant, sequence) and (tenant, time), like the SQLite table.</summary>
internal sealed class PostgresActivityStore(PostgresDatabase database, string serviceId) : IActivityStore
{
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
        await using var command = new NpgsqlCommand { Connection = connection };
        ActivitySql.Query(command, "rfpio_activity", serviceId, tenant, query);
        return await ActivitySql.ReadPageAsync(command, tenant, query);
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
}
