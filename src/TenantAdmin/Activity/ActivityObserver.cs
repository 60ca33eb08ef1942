using RfpioGateway.ScimApi.Pipeline;

namespace RfpioGateway.TenantAdmin.Activity;

/// <summary>Feeds the activity log from the SCIM API: only requests that carried the tenant's right token have a tenant.</summary>
internal sealed class ActivityObserver(ActivityRecorder recorder) : IScimRequestObserver
{
    public void Completed(HttpContext context, ScimRequest request, TimeSpan elapsed)
    {
        if (recorder.Enabled && request.Tenant is { } tenant)
        {
            recorder.Record(ActivityRecords.From(context, request, tenant, elapsed));
        }
    }
}
