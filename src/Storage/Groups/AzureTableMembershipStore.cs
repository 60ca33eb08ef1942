using Azure;
using Azure.Data.Tables;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.AzureTables;

namespace RfpioGateway.Storage.Groups;

/// <summary>
/// Memberships in an Azure Table. A group's members are one partition (row = user id) with the group's count in a
/// row of its own that sorts after every id (<see cref="CountRow"/>), changed in the same entity-group transaction
/// as the member rows, so the count is exact. A user's groups are a partition of their own (row = group id), written
/// after the group's rows and repaired by re-applying, like every membership change (see GroupGrain).
/// </summary>
internal sealed class AzureTableMembershipStore : IMembershipStore
{
    public const string TableName = "RfpioMembers";

    // Transactions take 100 entities: 99 member rows and the count row; a lookup of 50 ids keeps the filter short.
    private const int Chunk = 50;
    private const string CountRow = "~count";

    private readonly EnsuredTable _table;
    private readonly string _serviceId;

    public AzureTableMembershipStore(TableServiceClient service, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new EnsuredTable(service.GetTableClient(TableName));
        _serviceId = serviceId;
    }

    public async Task<long> ApplyAsync(TenantId tenant, string groupId, MembershipDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var table = await _table.GetAsync();
        var partition = GroupPartition(tenant, groupId);
        long count;
        if (delta.Clear)
        {
            var all = new List<string>();
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"]))
            {
                if (row.RowKey != CountRow)
                {
                    all.Add(row.RowKey);
                }
            }
            count = all.Count;
            foreach (var chunk in all.Chunk(Chunk))
            {
                count -= chunk.Length;
                await SubmitAsync(table, partition, chunk.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, id))), count);
                await Task.WhenAll(chunk.Select(id => DeleteAsync(table, UserPartition(tenant, id), groupId)));
            }
            count = 0;
        }
        else
        {
            count = await CountAsync(tenant, groupId);
        }
        foreach (var chunk in delta.Remove.Chunk(Chunk))
        {
            var present = await PresentAsync(table, partition, chunk);
            count -= present.Count;
            await SubmitAsync(table, partition, present.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, id))), count);
            await Task.WhenAll(chunk.Select(id => DeleteAsync(table, UserPartition(tenant, id), groupId)));
        }
        foreach (var chunk in delta.Add.Chunk(Chunk))
        {
            var present = await PresentAsync(table, partition, [.. chunk.Select(m => m.UserId)]);
            var added = chunk.Where(m => !present.Contains(m.UserId)).ToList();
            count += added.Count;
            await SubmitAsync(table, partition, added.Select(m => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(partition, m.UserId) { ["Display"] = m.Display })), count);
            await Task.WhenAll(chunk.Select(m => table.UpsertEntityAsync(new TableEntity(UserPartition(tenant, m.UserId), groupId), TableUpdateMode.Replace)));
        }
        return count;
    }

    public async Task<IReadOnlyList<GroupMember>> ReadMembersAsync(TenantId tenant, string groupId, string? afterUserId, int take)
    {
        var table = await _table.GetAsync();
        var partition = GroupPartition(tenant, groupId);
        var after = afterUserId ?? "";
        var page = new List<GroupMember>(Math.Min(take, 1000));
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == partition && e.RowKey.CompareTo(after) > 0 && e.RowKey.CompareTo(CountRow) < 0, maxPerPage: Math.Min(take, 1000)))
        {
            page.Add(new GroupMember(row.RowKey, row.GetString("Display")));
            if (page.Count == take)
            {
                break;
            }
        }
        return page;
    }

    public async Task<long> CountAsync(TenantId tenant, string groupId)
    {
        var table = await _table.GetAsync();
        var row = await table.GetEntityIfExistsAsync<TableEntity>(GroupPartition(tenant, groupId), CountRow);
        return row.HasValue ? row.Value!.GetInt64("Members") ?? 0 : 0;
    }

    public async Task<IReadOnlySet<string>> ContainedAsync(TenantId tenant, string groupId, IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var table = await _table.GetAsync();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in userIds.Chunk(Chunk))
        {
            found.UnionWith(await PresentAsync(table, GroupPartition(tenant, groupId), chunk));
        }
        return found;
    }

    public async Task<IReadOnlyList<string>> GroupsOfAsync(TenantId tenant, string userId, string? afterGroupId, int take)
    {
        var table = await _table.GetAsync();
        var partition = UserPartition(tenant, userId);
        var after = afterGroupId ?? "";
        var groups = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition && e.RowKey.CompareTo(after) > 0,
            maxPerPage: Math.Min(take, 1000), select: ["RowKey"]))
        {
            groups.Add(row.RowKey);
            if (groups.Count == take)
            {
                break;
            }
        }
        return groups;
    }

    /// <summary>The member rows changed with the count row, as one transaction of the group's partition.</summary>
    private static async Task SubmitAsync(TableClient table, string partition, IEnumerable<TableTransactionAction> rows, long count)
    {
        var actions = rows.ToList();
        if (actions.Count == 0)
        {
            return;
        }
        actions.Add(count == 0
            ? new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, CountRow), ETag.All)
            : new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, CountRow) { ["Members"] = count }));
        try
        {
            await table.SubmitTransactionAsync(actions);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && count == 0)
        {
            // The count row was already gone (a repair clearing an empty group): delete the rows without it.
            actions.RemoveAt(actions.Count - 1);
            if (actions.Count > 0)
            {
                await table.SubmitTransactionAsync(actions);
            }
        }
    }

    private static async Task<HashSet<string>> PresentAsync(TableClient table, string partition, string[] ids)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return present;
        }
        var rows = string.Join(" or ", ids.Select(id => $"RowKey eq '{id.Replace("'", "''", StringComparison.Ordinal)}'"));
        var filter = $"PartitionKey eq '{partition}' and ({rows})";
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"]))
        {
            present.Add(row.RowKey);
        }
        return present;
    }

    private static async Task DeleteAsync(TableClient table, string partition, string row)
    {
        try
        {
            await table.DeleteEntityAsync(partition, row);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    private string GroupPartition(TenantId tenant, string groupId) => $"{_serviceId}|{tenant.Value}|g|{groupId}";

    private string UserPartition(TenantId tenant, string userId) => $"{_serviceId}|{tenant.Value}|u|{userId}";
}
