using RfpioGateway.ScimApi;
using RfpioGateway.ScimApi.Pipeline;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.TenantAdmin.Activity;

/// <summary>The activity record of an answered SCIM request, from what its <see cref="ScimRequest"/> collected.</summary>
internal static class ActivityRecords
{
    public static ActivityRecord From(HttpContext context, ScimRequest request, TenantId tenant, TimeSpan elapsed)
    {
        var status = context.Response.StatusCode;
        var agent = context.Request.Headers.UserAgent.ToString();
        var type = request.ResourceType;
        var inactive = request.ResultInactive;
        return new ActivityRecord
        {
            Tenant = tenant.Value,
            Time = request.StartedAt,
            Operation = request.Operation,
            Outcome = OutcomeOf(request.Operation, status, inactive, inactive && NamesActive(request.UpdateBody)),
            Status = status,
            ScimType = request.ScimType,
            ResourceType = type?.Name,
            ResourceId = request.ResourceId ?? (type is null ? null : context.Request.RouteValues["id"] as string),
            UserName = request.ResourceName,
            UserAgent = agent.Length > 200 ? agent[..200] : agent.Length == 0 ? null : agent,
            DurationMs = Math.Round(elapsed.TotalMilliseconds, 2),
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToHexString(),
            Query = request.Query is { Length: > 200 } asked ? asked[..199] + "…" : request.Query,
        };
    }

    private static bool NamesActive(byte[]? body) =>
        body is not null && System.Text.Encoding.UTF8.GetString(body).Contains("active", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What a request did. "Disabled" is an update whose result is inactive and whose body named <c>active</c>:
    /// Entra ID and Okta disable by sending active=false, and never re-send it on later cycles.
    /// </summary>
    internal static string OutcomeOf(string operation, int status, bool resultInactive, bool bodyNamesActive) =>
        status >= 400 ? ActivityOutcomes.Failed
        : ScimOperations.VerbOf(operation) switch
        {
            ScimOperations.Create => ActivityOutcomes.Created,
            ScimOperations.Replace or ScimOperations.Patch => resultInactive && bodyNamesActive ? ActivityOutcomes.Disabled : ActivityOutcomes.Updated,
            ScimOperations.Delete => ActivityOutcomes.Deleted,
            _ => ActivityOutcomes.Read,
        };
}
