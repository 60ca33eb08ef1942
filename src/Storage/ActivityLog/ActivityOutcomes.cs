namespace RfpioGateway.Storage.ActivityLog;

/// <summary>The outcome names records carry and the console counts.</summary>
public static class ActivityOutcomes
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Disabled = "disabled";
    public const string Deleted = "deleted";
    public const string Read = "read";
    public const string Failed = "failed";

    public static readonly string[] Counted = [Created, Updated, Disabled, Deleted, Failed];
}
