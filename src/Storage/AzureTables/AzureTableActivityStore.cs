using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using RfpioGateway.Grains;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Storage.AzureTables;

/// <summary>
/// Activity in an Azure Table (<c>RfpioActivity</c>): a partition per (service, tenant); the row key is the inverted
/// sequence (UTC ticks, made unique per silo) plus this silo's suffix, so a partition lists newest first and silos
/// never collide. Tenant ids are DNS labels, safe in keys unescaped.
/// </summary>
internal sealed class AzureTableActivityStore : IActivityStore
{
    private const string TableName = "RfpioActivity";
    private const int BatchLimit = 100;

    private readonly EnsuredTable _table;
    private readonly string _serviceId;
    private readonly string _suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private long _lastSequence;

    public AzureTableActivityStore(TableServiceClient service, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new EnsuredTable(service.GetTableClient(TableName));
        _serviceId = serviceId;
    }

    public async Task AppendAsync(IReadOnlyList<ActivityRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var table = await _table.GetAsync();
        foreach (var partition in records.GroupBy(r => r.Tenant))
        {
            foreach (var chunk in partition.Chunk(BatchLimit))
            {
                var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(r with { Sequence = NextSequence(r.Time) })));
                await table.SubmitTransactionAsync(actions);
            }
        }
    }

    public async Task<ActivityPage> QueryAsync(string tenant, ActivityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = await _table.GetAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenant)}");
        if (query.Before is { } before)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {Inverted(before - 1)}");
        }
        if (query.Result is "success" or "failure")
        {
            filter += query.Result == "failure" ? " and Status ge 400" : " and Status lt 400";
        }
        if (query.Operation is { } operation)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Operation eq {operation}");
        }
        if (query.From is { } from)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Time ge {from}");
        }
        if (query.To is { } to)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Time le {to}");
        }
        var records = new List<ActivityRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: query.Count + 1))
        {
            records.Add(FromEntity(tenant, entity));
            if (records.Count > query.Count)
            {
                break;
            }
        }
        var next = records.Count > query.Count ? records[query.Count - 1].Sequence : (long?)null;
        return new ActivityPage([.. records.Take(query.Count)], next);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountAsync(string tenant, DateTimeOffset since)
    {
        var table = await _table.GetAsync();
        var counts = new Dictionary<string, int>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenant)} and Time ge {since}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["Outcome"]))
        {
            var outcome = entity.GetString("Outcome") ?? ActivityOutcomes.Read;
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }
        return counts;
    }

    public async Task TrimAsync(string tenant, int keep, DateTimeOffset cutoff)
    {
        var table = await _table.GetAsync();
        var doomed = new List<TableEntity>();
        var seen = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenant)}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Time"]))
        {
            if (++seen > keep || entity.GetDateTimeOffset("Time") < cutoff)
            {
                doomed.Add(entity);
            }
        }
        foreach (var chunk in doomed.Chunk(BatchLimit))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)));
        }
    }

    private long NextSequence(DateTimeOffset time)
    {
        long last, next;
        do
        {
            last = Interlocked.Read(ref _lastSequence);
            next = Math.Max(last + 1, time.UtcTicks);
        }
        while (Interlocked.CompareExchange(ref _lastSequence, next, last) != last);
        return next;
    }

    private string Partition(string tenant) => $"{_serviceId}_{tenant}";

    private static string Inverted(long sequence) => (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);

    private TableEntity ToEntity(ActivityRecord r) => new(Partition(r.Tenant), $"{Inverted(r.Sequence)}-{_suffix}")
    {
        ["Seq"] = r.Sequence,
        ["Time"] = r.Time,
        ["Operation"] = r.Operation,
        ["Outcome"] = r.Outcome,
        ["Status"] = r.Status,
        ["ScimType"] = r.ScimType,
        ["ResourceType"] = r.ResourceType,
        ["ResourceId"] = r.ResourceId,
        ["UserName"] = r.UserName,
        ["Query"] = r.Query,
        ["UserAgent"] = r.UserAgent,
        ["DurationMs"] = r.DurationMs,
        ["TraceId"] = r.TraceId,
    };

    private static ActivityRecord FromEntity(string tenant, TableEntity e) => new()
    {
        Tenant = tenant,
        Sequence = e.GetInt64("Seq") ?? 0,
        Time = e.GetDateTimeOffset("Time") ?? DateTimeOffset.MinValue,
        Operation = e.GetString("Operation") ?? "other",
        Outcome = e.GetString("Outcome") ?? ActivityOutcomes.Read,
        Status = e.GetInt32("Status") ?? 0,
        ScimType = e.GetString("ScimType"),
        ResourceType = e.GetString("ResourceType"),
        ResourceId = e.GetString("ResourceId"),
        UserName = e.GetString("UserName"),
        Query = e.GetString("Query"),
        UserAgent = e.GetString("UserAgent"),
        DurationMs = e.GetDouble("DurationMs") ?? 0,
        TraceId = e.GetString("TraceId"),
    };
}
