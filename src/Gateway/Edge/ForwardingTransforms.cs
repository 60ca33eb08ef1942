using RfpioGateway.Gateway.RateLimiting;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace RfpioGateway.Gateway.Edge;

/// <summary>
/// What the silo sees of a client's request on a tenant route: the original Host as <c>X-Forwarded-Host</c> (the
/// silo derives the tenant from it with the same rule), and none of the forwarding or internal headers a client could
/// have forged: those are removed, then set again by the gateway itself. <c>Authorization</c> passes untouched; no
/// response carries a <c>Server</c> banner or the silo's <see cref="AcceptedTokens.Header"/> mark, which the gateway
/// learns from.
/// </summary>
internal static class ForwardingTransforms
{
    private static readonly string[] StrippedHeaders =
        ["Forwarded", "X-Real-IP", "X-Client-IP", "True-Client-IP", "X-ProxyUser-Ip", "X-Original-URL", "X-Rewrite-URL"];

    private static readonly string[] StrippedPrefixes = ["X-Forwarded-", "X-Original-", "X-Tenant", "X-Rfpio-"];

    public static void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The silo's server banner says what it runs on; the edge answers for it.
        // Always: YARP's default condition is success only, and error answers carried 'Server: Kestrel'.
        context.AddResponseHeaderRemove("Server", ResponseCondition.Always);
        if (!TenantRoutes.TakesTenantFromHost(context.Route.Metadata))
        {
            return;
        }
        context.AddRequestTransform(transform =>
        {
            // YARP copies the client's headers lazily; RemoveHeader keeps a header from being copied at all.
            foreach (var header in transform.HttpContext.Request.Headers)
            {
                if (IsStripped(header.Key))
                {
                    RequestTransform.RemoveHeader(transform, header.Key);
                }
            }
            return ValueTask.CompletedTask;
        });
        // After the strip, so only the gateway's own values reach the silo.
        context.AddXForwarded(ForwardedTransformActions.Set);

        // The silo says which answers followed a token it accepted; the gateway learns from that and keeps the mark.
        var tokens = context.Services.GetRequiredService<AcceptedTokens>();
        context.AddResponseHeaderRemove(AcceptedTokens.Header, ResponseCondition.Always);
        context.AddResponseTransform(transform =>
        {
            if (transform.ProxyResponse is { } answer)
            {
                tokens.Learn(transform.HttpContext, !EdgeTenant.IsUnauthenticated(transform.HttpContext), (int)answer.StatusCode,
                    answer.Headers.Contains(AcceptedTokens.Header));
            }
            return ValueTask.CompletedTask;
        });
    }

    public static bool IsStripped(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return StrippedHeaders.Contains(header, StringComparer.OrdinalIgnoreCase)
            || StrippedPrefixes.Any(p => header.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }
}
