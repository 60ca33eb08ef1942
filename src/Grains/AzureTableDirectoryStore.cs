using Azure;
using Azure.Data.Tables;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// Directory rows in an Azure Table: partition = service and shard (the shard key's '/' becomes '|', which
/// table keys allow), row = user id. A change is one entity upsert or delete.
/// </summary>
public sealed class AzureTableDirectoryStore : IDirectoryStore
{
    public const string TableName = "RfpioDirectory";

    private readonly TableClient _table;
    private readonly string _serviceId;

    public AzureTableDirectoryStore(TableServiceClient service, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(TableName);
        _table.CreateIfNotExists();
        _serviceId = serviceId;
    }

    public async Task<IReadOnlyList<UserSummary>> ReadShardAsync(string shardKey)
    {
        var partition = Partition(shardKey);
        var rows = new List<UserSummary>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey", "Summary"]))
        {
            rows.Add(new UserSummary(entity.RowKey, entity.GetString("Summary")));
        }
        return rows;
    }

    public Task UpsertAsync(string shardKey, UserSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var entity = new TableEntity(Partition(shardKey), summary.Id) { ["Summary"] = summary.Json };
        return _table.UpsertEntityAsync(entity, TableUpdateMode.Replace);
    }

    public async Task RemoveAsync(string shardKey, string userId)
    {
        try
        {
            await _table.DeleteEntityAsync(Partition(shardKey), userId);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    private string Partition(string shardKey) => $"{_serviceId}|{shardKey.Replace('/', '|')}";
}
