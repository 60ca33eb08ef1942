using Npgsql;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Postgres;

namespace RfpioGateway.Storage.Groups;

/// <summary>
/// Memberships on PostgreSQL: one row per (group, member) with an index the other way for a user's groups, and
/// each group's count in <c>rfpio_member_counts</c>, changed in the same transaction as the rows, so it is exact
/// and costs O(1) to read. A change is one transaction of a few statements whatever the group's size: added and
/// removed ids travel as arrays.
/// </summary>
internal sealed class PostgresMembershipStore(PostgresDatabase database, string serviceId) : IMembershipStore
{
    public async Task<long> ApplyAsync(TenantId tenant, string groupId, MembershipDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        using var activity = PostgresDatabase.StartActivity("apply", "memberships");
        activity?.SetTag("rfpio.members.added", delta.Add.Count);
        activity?.SetTag("rfpio.members.removed", delta.Remove.Count);
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long change = 0;
        if (delta.Clear)
        {
            await using var clear = Command(connection, "DELETE FROM rfpio_members WHERE service_id = @s AND tenant = @t AND group_id = @g", tenant, groupId);
            await clear.ExecuteNonQueryAsync();
        }
        if (delta.Remove.Count > 0)
        {
            await using var remove = Command(connection,
                "DELETE FROM rfpio_members WHERE service_id = @s AND tenant = @t AND group_id = @g AND user_id = ANY(@ids)", tenant, groupId);
            remove.Parameters.AddWithValue("ids", delta.Remove.ToArray());
            change -= await remove.ExecuteNonQueryAsync();
        }
        if (delta.Add.Count > 0)
        {
            await using var add = Command(connection, """
                INSERT INTO rfpio_members (service_id, tenant, group_id, user_id, display)
                SELECT @s, @t, @g, u, d FROM unnest(@users::text[], @displays::text[]) AS added(u, d)
                ON CONFLICT DO NOTHING
                """, tenant, groupId);
            add.Parameters.AddWithValue("users", delta.Add.Select(m => m.UserId).ToArray());
            add.Parameters.AddWithValue("displays", delta.Add.Select(m => m.Display).ToArray());
            change += await add.ExecuteNonQueryAsync();
        }
        // The count moves by what the statements changed; a clear starts it from zero.
        await using var counted = Command(connection, """
            INSERT INTO rfpio_member_counts (service_id, tenant, group_id, members) VALUES (@s, @t, @g, @n)
            ON CONFLICT (service_id, tenant, group_id) DO UPDATE
              SET members = CASE WHEN @clear THEN @n ELSE rfpio_member_counts.members + @n END
            RETURNING members
            """, tenant, groupId);
        counted.Parameters.AddWithValue("n", change);
        counted.Parameters.AddWithValue("clear", delta.Clear);
        var count = (long)(await counted.ExecuteScalarAsync())!;
        if (count == 0)
        {
            await using var empty = Command(connection, "DELETE FROM rfpio_member_counts WHERE service_id = @s AND tenant = @t AND group_id = @g", tenant, groupId);
            await empty.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return count;
    }

    public async Task<IReadOnlyList<GroupMember>> ReadMembersAsync(TenantId tenant, string groupId, string? afterUserId, int take)
    {
        using var activity = PostgresDatabase.StartActivity("read members", "memberships");
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection,
            "SELECT user_id, display FROM rfpio_members WHERE service_id = @s AND tenant = @t AND group_id = @g AND user_id > @a ORDER BY user_id LIMIT @n",
            tenant, groupId);
        command.Parameters.AddWithValue("a", afterUserId ?? "");
        command.Parameters.AddWithValue("n", take);
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
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection, "SELECT members FROM rfpio_member_counts WHERE service_id = @s AND tenant = @t AND group_id = @g", tenant, groupId);
        return await command.ExecuteScalarAsync() is long count ? count : 0;
    }

    public async Task<IReadOnlySet<string>> ContainedAsync(TenantId tenant, string groupId, IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (userIds.Count == 0)
        {
            return found;
        }
        using var activity = PostgresDatabase.StartActivity("contains", "memberships");
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection,
            "SELECT user_id FROM rfpio_members WHERE service_id = @s AND tenant = @t AND group_id = @g AND user_id = ANY(@ids)", tenant, groupId);
        command.Parameters.AddWithValue("ids", userIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }

    public async Task<IReadOnlyList<string>> GroupsOfAsync(TenantId tenant, string userId, string? afterGroupId, int take)
    {
        // No "tenant has no groups" cache as on SQLite: other silos write here, so a miss remembered could go stale.
        // The index by user answers a user without groups from one index page.
        using var activity = PostgresDatabase.StartActivity("read groups of user", "memberships");
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection,
            "SELECT group_id FROM rfpio_members WHERE service_id = @s AND tenant = @t AND user_id = @u AND group_id > @a ORDER BY group_id LIMIT @n",
            tenant, groupId: null);
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("a", afterGroupId ?? "");
        command.Parameters.AddWithValue("n", take);
        await using var reader = await command.ExecuteReaderAsync();
        var groups = new List<string>();
        while (await reader.ReadAsync())
        {
            groups.Add(reader.GetString(0));
        }
        return groups;
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql, TenantId tenant, string? groupId)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("s", serviceId);
        command.Parameters.AddWithValue("t", tenant.Value);
        if (groupId is not null)
        {
            command.Parameters.AddWithValue("g", groupId);
        }
        return command;
    }
}
