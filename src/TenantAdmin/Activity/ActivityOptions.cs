namespace RfpioGateway.TenantAdmin.Activity;

/// <summary>Configuration section <c>Activity</c>: recording SCIM requests for the console.</summary>
internal sealed class ActivityOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Records kept per tenant (the newest).</summary>
    public int RetainCount { get; set; } = 10_000;

    /// <summary>Records older than this are dropped.</summary>
    public int RetainDays { get; set; } = 30;

    /// <summary>Records buffered in memory before a write; the most a silo crash can lose. Beyond it new records are dropped (and counted).</summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>How often buffered records are written: a crash loses at most this much activity.</summary>
    public int FlushMilliseconds { get; set; } = 1000;
}
