using System.Diagnostics;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using RfpioGateway.Gateway.Hosting;
using RfpioGateway.Gateway.RateLimiting;
using RfpioGateway.ServiceDefaults;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace RfpioGateway.Gateway.Edge;

/// <summary>
/// In front of every proxied route (after routing, before rate limiting): takes the tenant from the host, refuses
/// hosts that are not exactly one valid label in front of a base domain, requests the proxy cannot express
/// (<see cref="ForwardableRequest"/>) and bodies over the limit, and turns
/// YARP's bare upstream failures (502/503/504 with no body) into SCIM errors an IdP can parse.
/// </summary>
internal sealed class EdgeMiddleware(RequestDelegate next, TenantHosts hosts, AcceptedTokens tokens, IOptions<EdgeOptions> options, GatewayTelemetry telemetry)
{
    private readonly EdgeOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        if (route is null)
        {
            await next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (TenantRoutes.TakesTenantFromHost(route.Config.Metadata))
            {
                if (hosts.TenantOf(context.Request.Host.Host) is not { } tenant)
                {
                    await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                        $"'{context.Request.Host.Host}' is not a tenant host: use https://<tenant>.{hosts.BaseDomains.First()}/rfpserver/scim/v2, where <tenant> is one DNS label.");
                    return;
                }
                EdgeTenant.Set(context, tenant);
                if (!tokens.IsAccepted(context, tenant))
                {
                    EdgeTenant.SetUnauthenticated(context);
                }
                Activity.Current?.SetTag("rfpio.tenant", tenant);
            }
            if (!ForwardableRequest.IsForwardableMethod(context.Request.Method))
            {
                var allowed = string.Join(", ", ForwardableRequest.Methods);
                await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed,
                    $"The method {context.Request.Method} is not supported here; use {allowed}.", allow: allowed);
                return;
            }
            if (ForwardableRequest.Problem(context) is { } problem)
            {
                await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status400BadRequest, problem + " Nothing was changed.", scimType: "invalidSyntax");
                return;
            }
            if (context.Request.ContentLength > _options.MaxRequestBodyBytes)
            {
                await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge());
                return;
            }
            await next(context);
            await AnswerUpstreamFailureAsync(context);
        }
        finally
        {
            telemetry.RecordRequest(route.Config.RouteId, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task AnswerUpstreamFailureAsync(HttpContext context)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is not { } failure || context.Response.HasStarted)
        {
            return;
        }
        // A route's Timeout cancels RequestAborted; YARP reports that as a cancellation, not as a timeout.
        var routeTimedOut = context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;
        if (!routeTimedOut && context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away: nobody to answer
        }
        telemetry.RecordUpstreamFailure(routeTimedOut ? nameof(ForwarderError.RequestTimedOut) : failure.Error.ToString());
        var retryAfter = TimeSpan.FromSeconds(_options.UpstreamRetryAfterSeconds);
        switch (routeTimedOut ? ForwarderError.RequestTimedOut : failure.Error)
        {
            case ForwarderError.NoAvailableDestinations:
                await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                    "No silo is available to serve this request right now; retry after the Retry-After interval.", retryAfter);
                break;
            case ForwarderError.RequestTimedOut:
                await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status504GatewayTimeout,
                    "The service did not answer in time. A write may or may not have been applied: read the resource before retrying it.");
                break;
            case ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled:
                var status = BadRequestStatus(failure.Exception);
                await ScimEdgeErrors.WriteAsync(context, status, status == StatusCodes.Status413PayloadTooLarge
                    ? TooLarge()
                    : "The request body could not be read completely; nothing was changed.");
                break;
            default:
                await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status502BadGateway,
                    "The service could not be reached; retry after the Retry-After interval.", retryAfter);
                break;
        }
    }

    private string TooLarge() =>
        $"The request body is over the limit of {_options.MaxRequestBodyBytes} bytes (see maxPayloadSize in /ServiceProviderConfig); nothing was changed.";

    private static int BadRequestStatus(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException bad)
            {
                return bad.StatusCode;
            }
        }
        return StatusCodes.Status400BadRequest;
    }
}
