using Azure;
using Azure.Data.Tables;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Storage.AzureTables;

/// <summary>
/// Directory rows in an Azure Table: partition = service and shard (the shard key's '/' becomes '|', which
/// table keys allow), row = user id. A change is one entity upsert or delete.
/// </summary>
internal sealed class AzureTableDirectoryStore : IDirectoryStore
{
    public const string TableName = "RfpioDirectory";

    private readonly EnsuredTable _table;
    private readonly string _serviceId;

    public AzureTableDirectoryStore(TableServiceClient service, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new EnsuredTable(service.GetTableClient(TableName));
        _serviceId = serviceId;
    }

    public async Task<IReadOnlyList<ResourceSummary>> ReadShardAsync(string shardKey)
    {
        var partition = Partition(shardKey);
        var rows = new List<ResourceSummary>();
        var table = await _table.GetAsync();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey", "Summary"]))
        {
            rows.Add(new ResourceSummary(entity.RowKey, entity.GetString("Summary")));
        }
        return rows;
    }

    public async Task UpsertAsync(string shardKey, ResourceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var entity = new TableEntity(Partition(shardKey), summary.Id) { ["Summary"] = summary.Json };
        var table = await _table.GetAsync();
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace);
    }

    public async Task RemoveAsync(string shardKey, string id)
    {
        var table = await _table.GetAsync();
        try
        {
            await table.DeleteEntityAsync(Partition(shardKey), id);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    private string Partition(string shardKey) => $"{_serviceId}|{shardKey.Replace('/', '|')}";
}
