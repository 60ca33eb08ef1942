using System.Diagnostics;

namespace RfpioGateway.ScimApi.Pipeline;

/// <summary>
/// Outermost on the SCIM branch: starts the request's <see cref="ScimRequest"/>, tags the span with the operation,
/// and once the answer is written records the metrics and tells the observers. Knows nothing of authentication.
/// </summary>
internal sealed class ScimRequestTelemetryMiddleware(
    RequestDelegate next, ScimTelemetry telemetry, IEnumerable<IScimRequestObserver> observers, TimeProvider time)
{
    private readonly IScimRequestObserver[] _observers = [.. observers];

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var route = context.GetEndpoint()?.Metadata.GetMetadata<ScimRoute>();
        var request = new ScimRequest
        {
            Operation = route?.Operation ?? ScimOperations.Other,
            ResourceType = route?.Type,
            StartedAt = time.GetUtcNow(),
        };
        context.Features.Set(request);
        Activity.Current?.SetTag("scim.operation", request.Operation);
        if (Activity.Current?.Id is { } traceParent)
        {
            // Grain calls carry it even when no tracer is listening (Orleans then propagates no activity), so the
            // event a change yields names the same trace as the request's activity record.
            Orleans.Runtime.RequestContext.Set(Grains.Abstractions.ChangeEvent.TraceParentContextKey, traceParent);
        }
        try
        {
            await next(context);
        }
        finally
        {
            if (request.ScimType is { } scimType)
            {
                Activity.Current?.SetTag("scim.error.type", scimType);
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            telemetry.RecordRequest(request.Operation, context.Response.StatusCode, request.ScimType, elapsed, request.Tenant);
            foreach (var observer in _observers)
            {
                observer.Completed(context, request, elapsed);
            }
        }
    }
}
