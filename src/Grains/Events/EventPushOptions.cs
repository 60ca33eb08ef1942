namespace RfpioGateway.Grains;

/// <summary>Configuration section <c>EventPush</c>: how push streams retry a receiver that does not accept (RFC 8935).</summary>
public sealed class EventPushOptions
{
    /// <summary>The first retry's delay; each further one doubles, with ±20% jitter, up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public int RetryBaseMilliseconds { get; set; } = 1000;

    public int MaxRetryDelaySeconds { get; set; } = 300;

    /// <summary>How long a receiver may fail before the stream is marked failing and stops retrying (resume it by the operator API).</summary>
    public double GiveUpAfterHours { get; set; } = 72;

    /// <summary>Events pushed per grain turn; the stream's status waits for at most one such batch.</summary>
    public int BatchSize { get; set; } = 10;
}
