using RfpioGateway.Silo.Scim;

namespace RfpioGateway.Silo.ActivityLog;

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

    /// <summary>
    /// What a request did. "Disabled" is an update whose result is inactive and whose body named <c>active</c>:
    /// Entra ID and Okta disable by sending active=false, and never re-send it on later cycles.
    /// </summary>
    public static string Of(string operation, int status, bool resultInactive, bool bodyNamesActive) =>
        status >= 400 ? Failed
        : operation switch
        {
            ScimOperations.CreateUser => Created,
            ScimOperations.ReplaceUser or ScimOperations.PatchUser => resultInactive && bodyNamesActive ? Disabled : Updated,
            ScimOperations.DeleteUser => Deleted,
            _ => Read,
        };
}
