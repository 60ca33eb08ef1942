using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.ScimApi.Pipeline;

/// <summary>
/// What one SCIM request was and what it did, as a typed request feature: the telemetry middleware creates it, the
/// authentication middleware and the endpoints fill it in, and the observers (<see cref="IScimRequestObserver"/>) read it.
/// </summary>
internal sealed class ScimRequest
{
    /// <summary>The operation's name (<see cref="ScimOperations"/>): metrics, span tags and activity records carry it.</summary>
    public required string Operation { get; init; }

    /// <summary>The resource type of the route, or null for discovery and unmatched paths.</summary>
    public ResourceType? ResourceType { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Set once the request carried the tenant's right token (granted, or provisioning switched off).</summary>
    public TenantId? Tenant { get; set; }

    /// <summary>The scimType of the error answered, if any.</summary>
    public string? ScimType { get; set; }

    /// <summary>The resource the endpoint handled, as it answered (id, what the activity log names it by, inactive).</summary>
    public string? ResourceId { get; set; }

    public string? ResourceName { get; set; }

    public bool ResultInactive { get; set; }

    /// <summary>What a list or search asked for (its filter, printed), for the activity log.</summary>
    public string? Query { get; set; }

    /// <summary>An update's body; read only if the result is inactive, to tell a disable from other updates.</summary>
    public byte[]? UpdateBody { get; set; }

    /// <summary>The request's record, or null outside the SCIM branch (the operator API and the console).</summary>
    public static ScimRequest? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ScimRequest>();
    }
}
