using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Silo.ActivityLog;

/// <summary>What an endpoint learned about the resource it handled, left on the request for the activity record.</summary>
public static class ActivityNotes
{
    private const string ResourceIdItem = "rfpio.activity.resourceId";
    private const string UserNameItem = "rfpio.activity.userName";
    private const string InactiveItem = "rfpio.activity.inactive";
    private const string UpdateBodyItem = "rfpio.activity.updateBody";

    /// <param name="document">The user's document as the endpoint already loaded it to answer.</param>
    public static void User(HttpContext context, string id, ScimDocument document)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(document);
        context.Items[ResourceIdItem] = id;
        context.Items[UserNameItem] = document.UserName;
        context.Items[InactiveItem] = document.Active == false;
    }

    public static void ResourceId(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ResourceIdItem] = id;
    }

    /// <summary>Keeps an update's body; it is read only if the result is inactive, to tell a disable from other updates.</summary>
    public static void UpdateBody(HttpContext context, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        context.Items[UpdateBodyItem] = body;
    }

    public static ActivityRecord ToRecord(HttpContext context, string tenant, string operation, string? scimType, DateTimeOffset time, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = context.Response.StatusCode;
        var agent = context.Request.Headers.UserAgent.ToString();
        var isUser = operation.StartsWith("Users.", StringComparison.Ordinal);
        var inactive = context.Items[InactiveItem] is true;
        return new ActivityRecord
        {
            Tenant = tenant,
            Time = time,
            Operation = operation,
            Outcome = ActivityOutcomes.Of(operation, status, inactive, inactive && NamesActive(context.Items[UpdateBodyItem] as byte[])),
            Status = status,
            ScimType = scimType,
            ResourceType = isUser ? "User" : null,
            ResourceId = context.Items[ResourceIdItem] as string ?? (isUser ? context.Request.RouteValues["id"] as string : null),
            UserName = context.Items[UserNameItem] as string,
            UserAgent = agent.Length > 200 ? agent[..200] : agent.Length == 0 ? null : agent,
            DurationMs = Math.Round(elapsed.TotalMilliseconds, 2),
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToHexString(),
        };
    }

    private static bool NamesActive(byte[]? body) =>
        body is not null && System.Text.Encoding.UTF8.GetString(body).Contains("active", StringComparison.OrdinalIgnoreCase);
}
