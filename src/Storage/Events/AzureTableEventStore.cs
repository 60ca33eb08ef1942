using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.AzureTables;

namespace RfpioGateway.Storage.Events;

/// <summary>
/// Feeds in an Azure Table: a partition per service and tenant holding an event row per sequence (<c>e</c> + 19
/// digits, so rows sort by sequence), a row per event key (<c>k</c> + its SHA-256) and a <c>head</c> row. An event,
/// its key and the head are written in one entity-group transaction (with the batch's other events while they fit),
/// so the head, an event and its key never disagree.
/// </summary>
internal sealed class AzureTableEventStore : IEventStore
{
    public const string TableName = "RfpioEvents";

    // A string property holds at most 32K UTF-16 characters; a body is split over as many as it needs (entity: 1 MB).
    private const int ChunkChars = 30_000;

    // An entity-group transaction's limits are 100 actions and 4 MiB; bodies are UTF-16 on the wire, so 1M characters
    // leave room for the rest of the request.
    private const int MaxActions = 100;
    private const int MaxTransactionChars = 1_000_000;

    private readonly EnsuredTable _table;
    private readonly string _serviceId;

    public AzureTableEventStore(TableServiceClient service, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new EnsuredTable(service.GetTableClient(TableName));
        _serviceId = serviceId;
    }

    public async Task AppendAsync(string tenant, IReadOnlyList<ChangeEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var partition = Partition(tenant);
        var table = await _table.GetAsync();
        var actions = new List<TableTransactionAction>();
        var chars = 0;
        foreach (var change in changes)
        {
            var body = ChangeEventJson.Write(change);
            // A transaction holds at most 100 actions and 4 MiB: commit what has gathered before this event would pass either.
            if (actions.Count > 0 && (actions.Count + 3 > MaxActions || chars + body.Length > MaxTransactionChars))
            {
                await table.SubmitTransactionAsync(actions);
                actions.Clear();
                chars = 0;
            }
            var row = new TableEntity(partition, EventRow(change.Sequence)) { ["Key"] = KeyRow(change.Key), ["Time"] = change.Time };
            for (var i = 0; i * ChunkChars < body.Length; i++)
            {
                row[$"Body{i}"] = body.Substring(i * ChunkChars, Math.Min(ChunkChars, body.Length - i * ChunkChars));
            }
            // The head row is the transaction's last event's: replaced in place, so only one action for it.
            actions.RemoveAll(a => a.Entity.RowKey == "head");
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, KeyRow(change.Key)) { ["Seq"] = change.Sequence }));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, "head") { ["Seq"] = change.Sequence }));
            chars += body.Length;
        }
        if (actions.Count > 0)
        {
            await table.SubmitTransactionAsync(actions);
        }
    }

    public async Task<long?> FindAsync(string tenant, string key)
    {
        var table = await _table.GetAsync();
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition(tenant), KeyRow(key), ["Seq"]);
        return found.HasValue ? found.Value!.GetInt64("Seq") : null;
    }

    public async Task<long> HeadAsync(string tenant)
    {
        var table = await _table.GetAsync();
        var head = await table.GetEntityIfExistsAsync<TableEntity>(Partition(tenant), "head", ["Seq"]);
        return head.HasValue ? head.Value!.GetInt64("Seq") ?? 0 : 0;
    }

    public async Task<IReadOnlyList<ChangeEvent>> ReadAsync(string tenant, long after, int max)
    {
        var table = await _table.GetAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenant)} and RowKey gt {EventRow(after)} and RowKey lt {"f"}");
        var events = new List<ChangeEvent>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000)))
        {
            events.Add(ChangeEventJson.Read(Body(entity)));
            if (events.Count == max)
            {
                break;
            }
        }
        return events;
    }

    public async Task TrimAsync(string tenant, DateTimeOffset cutoff, int keep)
    {
        var head = await HeadAsync(tenant);
        var table = await _table.GetAsync();
        var partition = Partition(tenant);
        // The newest event stays whatever its age, so the head survives.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {"e"} and RowKey lt {EventRow(head)}");
        var doomed = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "Key", "Time"]))
        {
            var sequence = long.Parse(entity.RowKey.AsSpan(1), CultureInfo.InvariantCulture);
            if (sequence > head - keep && entity.GetDateTimeOffset("Time") >= cutoff)
            {
                break;
            }
            doomed.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, entity.RowKey), ETag.All));
            doomed.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, entity.GetString("Key")), ETag.All));
            if (doomed.Count >= 98)
            {
                await table.SubmitTransactionAsync(doomed);
                doomed.Clear();
            }
        }
        if (doomed.Count > 0)
        {
            await table.SubmitTransactionAsync(doomed);
        }
    }

    private string Partition(string tenant) => $"{_serviceId}|{tenant}";

    private static string EventRow(long sequence) => "e" + sequence.ToString("D19", CultureInfo.InvariantCulture);

    private static string KeyRow(string key) => "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Body(TableEntity entity)
    {
        var body = new StringBuilder();
        for (var i = 0; entity.GetString($"Body{i}") is { } chunk; i++)
        {
            body.Append(chunk);
        }
        return body.ToString();
    }
}
