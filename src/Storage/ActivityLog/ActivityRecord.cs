namespace RfpioGateway.Storage.ActivityLog;

/// <summary>One SCIM request a tenant received, as the console's activity list shows it. Never the token.</summary>
public sealed record ActivityRecord
{
    public required string Tenant { get; init; }
    public required DateTimeOffset Time { get; init; }

    /// <summary>The SCIM operation (<c>Users.Create</c>, <c>Users.Patch</c>, …; <c>other</c> for unknown paths).</summary>
    public required string Operation { get; init; }

    /// <summary>What it did, for the counters: created, updated, disabled, deleted, read, failed.</summary>
    public required string Outcome { get; init; }

    public required int Status { get; init; }
    public string? ScimType { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string? UserName { get; init; }
    public string? UserAgent { get; init; }
    public required double DurationMs { get; init; }
    public string? TraceId { get; init; }

    /// <summary>What a list or search asked for: its filter as the server read it (at most 200 characters), or null.</summary>
    public string? Query { get; init; }

    /// <summary>Assigned by the store: orders records newest first and pages through them.</summary>
    public long Sequence { get; init; }
}
