namespace RfpioGateway.Storage.ActivityLog;

/// <summary>
/// Where activity records live: a SQLite table on one node, an Azure Table in a cluster, memory for the Memory
/// provider. Every read is bounded by a tenant's retention (count and age), never by its number of users.
/// </summary>
public interface IActivityStore
{
    /// <summary>Appends records of any tenants, assigning their sequences.</summary>
    Task AppendAsync(IReadOnlyList<ActivityRecord> records);

    Task<ActivityPage> QueryAsync(string tenant, ActivityQuery query);

    /// <summary>Records since <paramref name="since"/> by outcome.</summary>
    Task<IReadOnlyDictionary<string, int>> CountAsync(string tenant, DateTimeOffset since);

    /// <summary>Drops a tenant's records beyond the newest <paramref name="keep"/> and those older than <paramref name="cutoff"/>.</summary>
    Task TrimAsync(string tenant, int keep, DateTimeOffset cutoff);
}
