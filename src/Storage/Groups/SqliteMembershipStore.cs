using System.Diagnostics;
using Microsoft.Data.Sqlite;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Sqlite;

namespace RfpioGateway.Storage.Groups;

/// <summary>
/// Memberships in the node's SQLite file: one row per (group, member) with an index the other way for a user's
/// groups, and the count of each group in <c>member_counts</c>, changed in the same transaction as the rows, so it
/// is exact and costs O(1) to read.
/// </summary>
internal sealed class SqliteMembershipStore : IMembershipStore
{
    // SQLite allows 32,766 parameters; an IN list far below that keeps each statement small.
    private const int InChunk = 500;

    private readonly SqliteFile _file;
    private readonly string _serviceId;

    // Tenants known to have had a member. This process is the file's only writer (one node), so a tenant not in here
    // after one look has no memberships, and a user's GET in a tenant without groups costs no query.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _hasMembers = new(StringComparer.Ordinal);

    public SqliteMembershipStore(SqliteFile file, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
        _serviceId = serviceId;
        _file.EnsureSchema("""
            CREATE TABLE IF NOT EXISTS members (
                service_id TEXT NOT NULL,
                tenant     TEXT NOT NULL,
                group_id   TEXT NOT NULL,
                user_id    TEXT NOT NULL,
                display    TEXT,
                PRIMARY KEY (service_id, tenant, group_id, user_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS members_by_user ON members (service_id, tenant, user_id, group_id);
            CREATE TABLE IF NOT EXISTS member_counts (
                service_id TEXT NOT NULL,
                tenant     TEXT NOT NULL,
                group_id   TEXT NOT NULL,
                members    INTEGER NOT NULL,
                PRIMARY KEY (service_id, tenant, group_id)
            ) WITHOUT ROWID;
            """);
    }

    public async Task<long> ApplyAsync(TenantId tenant, string groupId, MembershipDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        using var activity = StartActivity("apply");
        activity?.SetTag("rfpio.members.added", delta.Add.Count);
        activity?.SetTag("rfpio.members.removed", delta.Remove.Count);
        if (delta.Add.Count > 0)
        {
            // Before the rows: a reader that sees them must not be told there are none.
            _hasMembers[tenant.Value] = true;
        }
        return await _file.WriteAsync(writer =>
        {
            long count = delta.Clear ? 0 : Count(writer.Connection, tenant, groupId);
            if (delta.Clear)
            {
                var clear = Command(writer, "DELETE FROM members WHERE service_id = $s AND tenant = $t AND group_id = $g", tenant, groupId);
                clear.ExecuteNonQuery();
            }
            if (delta.Remove.Count > 0)
            {
                var remove = Command(writer,
                    "DELETE FROM members WHERE service_id = $s AND tenant = $t AND group_id = $g AND user_id = $u", tenant, groupId);
                var user = remove.Parameters.Add("$u", SqliteType.Text);
                foreach (var id in delta.Remove)
                {
                    user.Value = id;
                    count -= remove.ExecuteNonQuery();
                }
            }
            if (delta.Add.Count > 0)
            {
                var add = Command(writer,
                    "INSERT INTO members (service_id, tenant, group_id, user_id, display) VALUES ($s, $t, $g, $u, $d) ON CONFLICT DO NOTHING",
                    tenant, groupId);
                var user = add.Parameters.Add("$u", SqliteType.Text);
                var display = add.Parameters.Add("$d", SqliteType.Text);
                foreach (var member in delta.Add)
                {
                    user.Value = member.UserId;
                    display.Value = (object?)member.Display ?? DBNull.Value;
                    count += add.ExecuteNonQuery();
                }
            }
            var counted = Command(writer, count == 0
                ? "DELETE FROM member_counts WHERE service_id = $s AND tenant = $t AND group_id = $g"
                : "INSERT INTO member_counts (service_id, tenant, group_id, members) VALUES ($s, $t, $g, $n) ON CONFLICT DO UPDATE SET members = excluded.members",
                tenant, groupId);
            counted.Parameters.AddWithValue("$n", count);
            counted.ExecuteNonQuery();
            return count;
        });
    }

    public async Task<IReadOnlyList<GroupMember>> ReadMembersAsync(TenantId tenant, string groupId, string? afterUserId, int take)
    {
        using var activity = StartActivity("read members");
        await using var connection = await _file.OpenAsync();
        await using var command = Command(connection,
            "SELECT user_id, display FROM members WHERE service_id = $s AND tenant = $t AND group_id = $g AND user_id > $a ORDER BY user_id LIMIT $n",
            tenant, groupId);
        command.Parameters.AddWithValue("$a", afterUserId ?? "");
        command.Parameters.AddWithValue("$n", take);
        await using var reader = await command.ExecuteReaderAsync();
        var page = new List<GroupMember>(Math.Min(take, 1024));
        while (await reader.ReadAsync())
        {
            page.Add(new GroupMember(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }
        return page;
    }

    public async Task<long> CountAsync(TenantId tenant, string groupId)
    {
        await using var connection = await _file.OpenAsync();
        return Count(connection, tenant, groupId);
    }

    public async Task<IReadOnlySet<string>> ContainedAsync(TenantId tenant, string groupId, IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (userIds.Count == 0)
        {
            return found;
        }
        using var activity = StartActivity("contains");
        await using var connection = await _file.OpenAsync();
        foreach (var chunk in userIds.Chunk(InChunk))
        {
            var names = string.Join(", ", chunk.Select((_, i) => $"$u{i}"));
            await using var command = Command(connection,
                $"SELECT user_id FROM members WHERE service_id = $s AND tenant = $t AND group_id = $g AND user_id IN ({names})", tenant, groupId);
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.AddWithValue($"$u{i}", chunk[i]);
            }
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add(reader.GetString(0));
            }
        }
        return found;
    }

    public async Task<IReadOnlyList<string>> GroupsOfAsync(TenantId tenant, string userId, string? afterGroupId, int take)
    {
        if (!await HasMembersAsync(tenant))
        {
            return [];
        }
        using var activity = StartActivity("read groups of user");
        await using var connection = await _file.OpenAsync();
        await using var command = Command(connection,
            "SELECT group_id FROM members WHERE service_id = $s AND tenant = $t AND user_id = $u AND group_id > $a ORDER BY group_id LIMIT $n",
            tenant, groupId: null);
        command.Parameters.AddWithValue("$u", userId);
        command.Parameters.AddWithValue("$a", afterGroupId ?? "");
        command.Parameters.AddWithValue("$n", take);
        await using var reader = await command.ExecuteReaderAsync();
        var groups = new List<string>();
        while (await reader.ReadAsync())
        {
            groups.Add(reader.GetString(0));
        }
        return groups;
    }

    private async ValueTask<bool> HasMembersAsync(TenantId tenant)
    {
        if (_hasMembers.TryGetValue(tenant.Value, out var known))
        {
            return known;
        }
        await using var connection = await _file.OpenAsync();
        await using var command = Command(connection, "SELECT 1 FROM member_counts WHERE service_id = $s AND tenant = $t LIMIT 1", tenant, groupId: null);
        var found = await command.ExecuteScalarAsync() is not null;
        // A concurrent first add may have set true meanwhile; never overwrite that with false.
        return _hasMembers.GetOrAdd(tenant.Value, found) || found;
    }

    private long Count(SqliteConnection connection, TenantId tenant, string groupId)
    {
        using var command = Command(connection, "SELECT members FROM member_counts WHERE service_id = $s AND tenant = $t AND group_id = $g", tenant, groupId);
        return command.ExecuteScalar() is long count ? count : 0;
    }

    private static Activity? StartActivity(string operation)
    {
        var activity = StorageTelemetry.Source.StartActivity($"sqlite {operation} memberships", ActivityKind.Client);
        activity?.SetTag("db.system.name", "sqlite");
        activity?.SetTag("db.operation.name", operation);
        return activity;
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, TenantId tenant, string? groupId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return Bind(command, tenant, groupId);
    }

    /// <summary>The writer's compiled command for <paramref name="sql"/>: not to be disposed (<see cref="SqliteWriter.Command"/>).</summary>
    private SqliteCommand Command(SqliteWriter writer, string sql, TenantId tenant, string? groupId) => Bind(writer.Command(sql), tenant, groupId);

    private SqliteCommand Bind(SqliteCommand command, TenantId tenant, string? groupId)
    {
        command.Parameters.AddWithValue("$s", _serviceId);
        command.Parameters.AddWithValue("$t", tenant.Value);
        if (groupId is not null)
        {
            command.Parameters.AddWithValue("$g", groupId);
        }
        return command;
    }
}
