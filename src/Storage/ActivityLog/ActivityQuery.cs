namespace RfpioGateway.Storage.ActivityLog;

/// <summary>A page of a tenant's activity, newest first. Null filters match everything.</summary>
public sealed record ActivityQuery
{
    /// <summary><c>success</c> (status below 400), <c>failure</c>, or null.</summary>
    public string? Result { get; init; }

    public string? Operation { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>Only records older than this sequence (the previous page's last).</summary>
    public long? Before { get; init; }

    public int Count { get; init; } = 50;

    public bool Matches(ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (Result is null || (Result == "failure") == (record.Status >= 400))
            && (Operation is null || record.Operation == Operation)
            && (From is null || record.Time >= From)
            && (To is null || record.Time <= To)
            && (Before is null || record.Sequence < Before);
    }
}
