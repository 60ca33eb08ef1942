namespace RfpioGateway.Storage.ActivityLog;

/// <summary>Records newest first; <see cref="Next"/> is the <c>Before</c> of the following page, null on the last.</summary>
public sealed record ActivityPage(IReadOnlyList<ActivityRecord> Records, long? Next);
