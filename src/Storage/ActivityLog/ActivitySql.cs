using System.Data.Common;
using System.Globalization;
using System.Text;

namespace RfpioGateway.Storage.ActivityLog;

/// <summary>
/// The activity query and row mapping the SQL stores share (SQLite and PostgreSQL both take <c>@name</c> parameters):
/// newest first, filtered by result, operation and time, paged by sequence.
/// </summary>
internal static class ActivitySql
{
    private const string Columns = "seq, time, operation, outcome, status, scim_type, resource_type, resource_id, user_name, user_agent, duration_ms, trace_id, query";

    /// <summary>Sets <paramref name="command"/>'s text and parameters to read one page of <paramref name="tenant"/>'s records, plus one to tell whether there is a next page.</summary>
    public static void Query(DbCommand command, string table, string serviceId, string tenant, ActivityQuery query)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM {table} WHERE service_id = @s AND tenant = @t");
        Add(command, "s", serviceId);
        Add(command, "t", tenant);
        if (query.Result is "success" or "failure")
        {
            sql.Append(query.Result == "failure" ? " AND status >= 400" : " AND status < 400");
        }
        if (query.Operation is { } operation)
        {
            sql.Append(" AND operation = @op");
            Add(command, "op", operation);
        }
        if (query.From is { } from)
        {
            sql.Append(" AND time >= @from");
            Add(command, "from", from.ToUnixTimeMilliseconds());
        }
        if (query.To is { } to)
        {
            sql.Append(" AND time <= @to");
            Add(command, "to", to.ToUnixTimeMilliseconds());
        }
        if (query.Before is { } before)
        {
            sql.Append(" AND seq < @before");
            Add(command, "before", before);
        }
        sql.Append(" ORDER BY seq DESC LIMIT @n");
        Add(command, "n", query.Count + 1);
        command.CommandText = sql.ToString();
    }

    /// <summary>Runs a command set up by <see cref="Query"/> and cuts the page.</summary>
    public static async Task<ActivityPage> ReadPageAsync(DbCommand command, string tenant, ActivityQuery query)
    {
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

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string? Text(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
