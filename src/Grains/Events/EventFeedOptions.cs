namespace RfpioGateway.Grains;

/// <summary>Configuration section <c>EventFeed</c>: how long tenants' change feeds keep events, and how push streams retry a receiver that does not accept (RFC 8935).</summary>
public sealed class EventFeedOptions
{
    /// <summary>Events older than this are dropped (the newest always stays, so numbering continues).</summary>
    public int RetainDays { get; set; } = 7;

    /// <summary>At most this many events per tenant are kept.</summary>
    public int RetainCount { get; set; } = 100_000;

    /// <summary>The first retry's delay; each further one doubles, with ±20% jitter, up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public int RetryBaseMilliseconds { get; set; } = 1000;

    public int MaxRetryDelaySeconds { get; set; } = 300;

    /// <summary>How long a receiver may fail before the stream is marked failing and stops retrying (resume it by the operator API).</summary>
    public double GiveUpAfterHours { get; set; } = 72;

    /// <summary>
    /// Events pushed per grain turn, with one write of the stream's cursor after them: a silo that dies mid-batch
    /// redelivers at most this many (same jti). The stream's status waits for at most one batch.
    /// </summary>
    public int BatchSize { get; set; } = 100;
}
