using System.Diagnostics;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Silo.ActivityLog;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Silo.Auth;
using RfpioGateway.ServiceDefaults;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Silo.Scim;

/// <summary>
/// In front of every SCIM route: the tenant comes from the host (never from a header a client could set), then the
/// bearer token is checked for that tenant. Unknown tenant, missing token and wrong token get the same 401, so
/// tenant names cannot be probed; a right token with provisioning switched off gets 403.
/// </summary>
public sealed class ScimAuthenticationMiddleware(
    RequestDelegate next, TenantHostResolver hosts, TenantAuthorizer authorizer, SiloTelemetry telemetry, ActivityRecorder activity, TimeProvider time)
{
    public const string TenantItem = "rfpio.tenant";


    private static readonly ScimError Unauthorized =
        ScimError.Unauthorized("Authentication failed: send the tenant's SCIM API token as 'Authorization: Bearer <token>'.");

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var startedAt = time.GetUtcNow();
        var operation = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? ScimOperations.Other;
        Activity.Current?.SetTag("scim.operation", operation);
        try
        {
            await AuthenticateAsync(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            var scimType = context.Items[ScimHttp.ScimTypeItem] as string;
            if (scimType is not null)
            {
                Activity.Current?.SetTag("scim.error.type", scimType);
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            telemetry.RecordRequest(operation, status, scimType, elapsed);
            // Only requests that carried the tenant's right token: anyone can send wrong ones, and recording those
            // would let anyone fill a tenant's log (or invent tenants).
            if (activity.Enabled && context.Items[TenantItem] is TenantId tenant)
            {
                activity.Record(ActivityNotes.ToRecord(context, tenant.Value, operation, scimType, startedAt, elapsed));
            }
        }
    }

    private async Task AuthenticateAsync(HttpContext context)
    {
        if (!hosts.TryResolve(context.Request.Host.Host, out var tenant))
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"'{context.Request.Host.Host}' is not a SCIM tenant host; use https://<tenant>.rfpio.com/rfpserver/scim/v2."));
            return;
        }
        Activity.Current?.SetTag("rfpio.tenant", tenant.Value);

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            await ScimHttp.WriteErrorAsync(context, Unauthorized);
            return;
        }
        switch (await authorizer.AuthorizeAsync(tenant, header[7..].Trim()))
        {
            case TenantAccess.Granted:
                context.Items[TenantItem] = tenant;
                context.Response.Headers[EdgeContract.TokenAcceptedHeader] = "1";
                await next(context);
                return;
            case TenantAccess.Disabled:
                context.Items[TenantItem] = tenant;
                context.Response.Headers[EdgeContract.TokenAcceptedHeader] = "1";
                await ScimHttp.WriteErrorAsync(context, ScimError.Forbidden(
                    "Auto User Provisioning is switched off for this tenant. A tenant admin can switch it on in the RFPIO admin console (Organization Settings > User Management > Security > SCIM)."));
                return;
            default:
                await ScimHttp.WriteErrorAsync(context, Unauthorized);
                return;
        }
    }
}
