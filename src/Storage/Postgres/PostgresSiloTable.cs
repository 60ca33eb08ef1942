using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Serialization;

namespace RfpioGateway.Storage.Postgres;

/// <summary>
/// Orleans cluster membership on PostgreSQL: a row per silo (its entry in Orleans' binary form, with status and
/// I-am-alive as columns), and one version row per cluster. Every change to a silo's row moves the version in the
/// same transaction and only if nobody moved it first, which is the optimistic protocol Orleans' membership relies
/// on (<see cref="IMembershipTable"/>). Written here rather than taken from Microsoft.Orleans.Clustering.AdoNet: that
/// provider reads its statements from tables its SQL scripts fill, and its packages do not ship those scripts.
/// </summary>
internal sealed class PostgresSiloTable(PostgresDatabase database, IOptions<ClusterOptions> cluster, Serializer serializer) : IMembershipTable
{
    private readonly string _clusterId = cluster.Value.ClusterId;

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        await database.EnsureSchemaAsync();
        if (tryInitTableVersion)
        {
            await using var connection = await database.OpenAsync();
            await using var command = Command(connection, "INSERT INTO rfpio_silo_table_version (cluster_id, version) VALUES (@c, 0) ON CONFLICT DO NOTHING");
            await command.ExecuteNonQueryAsync();
        }
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadAsync(key);
    }

    public Task<MembershipTableData> ReadAll() => ReadAsync(null);

    public async Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        // ON CONFLICT: a silo already in the table changes nothing, so the version move is rolled back too.
        return await ChangeAsync(tableVersion, """
            INSERT INTO rfpio_silos (cluster_id, silo, etag, status, i_am_alive, entry) VALUES (@c, @silo, 1, @status, @alive, @entry)
            ON CONFLICT DO NOTHING
            """, command => AddEntry(command, entry));
    }

    public async Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        return await ChangeAsync(tableVersion, """
            UPDATE rfpio_silos SET etag = etag + 1, status = @status, i_am_alive = @alive, entry = @entry
            WHERE cluster_id = @c AND silo = @silo AND etag = @etag
            """, command =>
        {
            AddEntry(command, entry);
            command.Parameters.AddWithValue("etag", long.Parse(etag, CultureInfo.InvariantCulture));
        });
    }

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // Only the time, without an ETag check or a version move: Orleans writes it often and nothing orders on it.
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, "UPDATE rfpio_silos SET i_am_alive = @alive WHERE cluster_id = @c AND silo = @silo");
        command.Parameters.AddWithValue("silo", entry.SiloAddress.ToParsableString());
        command.Parameters.AddWithValue("alive", NpgsqlDbType.TimestampTz, Utc(entry.IAmAliveTime));
        await command.ExecuteNonQueryAsync();
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "DELETE FROM rfpio_silos WHERE cluster_id = @c; DELETE FROM rfpio_silo_table_version WHERE cluster_id = @c", connection);
        command.Parameters.AddWithValue("c", clusterId);
        await command.ExecuteNonQueryAsync();
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, "DELETE FROM rfpio_silos WHERE cluster_id = @c AND status = @dead AND i_am_alive < @before");
        command.Parameters.AddWithValue("dead", (int)SiloStatus.Dead);
        command.Parameters.AddWithValue("before", NpgsqlDbType.TimestampTz, beforeDate.UtcDateTime);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The entries (one silo's or all) with the version, read in one statement so they are one snapshot.</summary>
    private async Task<MembershipTableData> ReadAsync(SiloAddress? silo)
    {
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, """
            SELECT v.version, s.etag, s.i_am_alive, s.entry
            FROM rfpio_silo_table_version v
            LEFT JOIN rfpio_silos s ON s.cluster_id = v.cluster_id AND (@silo::text IS NULL OR s.silo = @silo::text)
            WHERE v.cluster_id = @c
            """);
        command.Parameters.AddWithValue("silo", NpgsqlDbType.Text, (object?)silo?.ToParsableString() ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<Tuple<MembershipEntry, string>>();
        var version = 0;
        while (await reader.ReadAsync())
        {
            version = reader.GetInt32(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }
            var entry = serializer.Deserialize<MembershipEntry>(reader.GetFieldValue<byte[]>(3)) ?? throw new InvalidDataException("A silo row holds no membership entry.");
            entry.IAmAliveTime = reader.GetFieldValue<DateTime>(2);
            entries.Add(Tuple.Create(entry, reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)));
        }
        return new MembershipTableData(entries, new TableVersion(version, version.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// One change to a silo row, atomic with moving the cluster's version to <paramref name="next"/>: both happen, or,
    /// when the version is no longer the one its ETag names or <paramref name="sql"/> changes no row, neither.
    /// </summary>
    private async Task<bool> ChangeAsync(TableVersion next, string sql, Action<NpgsqlCommand> parameters)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var version = Command(connection, "UPDATE rfpio_silo_table_version SET version = @v WHERE cluster_id = @c AND version = @expected");
        version.Parameters.AddWithValue("v", next.Version);
        version.Parameters.AddWithValue("expected", int.Parse(next.VersionEtag, CultureInfo.InvariantCulture));
        if (await version.ExecuteNonQueryAsync() != 1)
        {
            return false;
        }
        await using var change = Command(connection, sql);
        parameters(change);
        if (await change.ExecuteNonQueryAsync() == 0)
        {
            return false;
        }
        await transaction.CommitAsync();
        return true;
    }

    private void AddEntry(NpgsqlCommand command, MembershipEntry entry)
    {
        command.Parameters.AddWithValue("silo", entry.SiloAddress.ToParsableString());
        command.Parameters.AddWithValue("status", (int)entry.Status);
        command.Parameters.AddWithValue("alive", NpgsqlDbType.TimestampTz, Utc(entry.IAmAliveTime));
        command.Parameters.AddWithValue("entry", NpgsqlDbType.Bytea, serializer.SerializeToArray(entry));
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("c", _clusterId);
        return command;
    }

    // Orleans' times are UTC but may come as Unspecified (the default value); timestamptz takes only UTC.
    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
