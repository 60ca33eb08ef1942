using System.Diagnostics;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.ScimApi.Auth;
using RfpioGateway.ServiceDefaults;

namespace RfpioGateway.ScimApi.Pipeline;

/// <summary>
/// In front of every SCIM route: the tenant comes from the host (never from a header a client could set), then the
/// bearer token is checked for that tenant. Unknown tenant, missing token and wrong token get the same 401, so
/// tenant names cannot be probed; a right token with provisioning switched off gets 403.
/// </summary>
internal sealed class ScimAuthenticationMiddleware(RequestDelegate next, TenantHostResolver hosts, TenantAuthorizer authorizer)
{
    private static readonly ScimError Unauthorized =
        ScimError.Unauthorized("Authentication failed: send the tenant's SCIM API token as 'Authorization: Bearer <token>'.");

    public async Task InvokeAsync(HttpContext context)
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
        var (access, shardCount) = await authorizer.AuthorizeAsync(tenant, header[7..].Trim());
        if (access is TenantAccess.Granted or TenantAccess.Disabled)
        {
            // Only requests that carried the tenant's right token name it: anyone can send wrong ones, and an
            // observer recording those would let anyone fill a tenant's log (or invent tenants).
            ScimRequest.Of(context)!.Tenant = tenant;
            context.Response.Headers[EdgeContract.TokenAcceptedHeader] = "1";
        }
        switch (access)
        {
            case TenantAccess.Granted:
                TenantShards.Carry(tenant, shardCount);
                await next(context);
                return;
            case TenantAccess.Disabled:
                await ScimHttp.WriteErrorAsync(context, ScimError.Forbidden(
                    "Auto User Provisioning is switched off for this tenant. A tenant admin can switch it on in the RFPIO admin console (Organization Settings > User Management > Security > SCIM)."));
                return;
            default:
                await ScimHttp.WriteErrorAsync(context, Unauthorized);
                return;
        }
    }
}
