using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RfpioGateway.Gateway.Edge;
using RfpioGateway.Gateway.Health;
using RfpioGateway.Gateway.LoadBalancing;
using RfpioGateway.Gateway.RateLimiting;
using RfpioGateway.ServiceDefaults;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace RfpioGateway.Gateway.Hosting;

/// <summary>Builds the gateway host. Tests use it as the program does.</summary>
public static class GatewayHost
{
    /// <summary>
    /// The gateway's own configuration sections and the classes they bind to (besides <c>ReverseProxy</c>, which YARP
    /// binds to its <c>RouteConfig</c> and <c>ClusterConfig</c>). Deployment manifests are checked against these.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Type> OptionsSections = new Dictionary<string, Type>
    {
        ["Tenancy"] = typeof(TenancyOptions),
        ["Edge"] = typeof(EdgeOptions),
        ["RateLimiting"] = typeof(RateLimitingOptions),
        ["Telemetry"] = typeof(TelemetrySettings),
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var configuration = builder.Configuration;
        Placeholders.Refuse(configuration);
        if (SiloRouteProblem(configuration.GetSection("ReverseProxy:Routes")) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        var edge = configuration.GetSection("Edge").Get<EdgeOptions>() ?? new EdgeOptions();
        var tenancy = configuration.GetSection("Tenancy").Get<TenancyOptions>() ?? new TenancyOptions();

        builder.Services.Configure<EdgeOptions>(configuration.GetSection("Edge"));
        var managementPort = ManagementListener.Add(builder, edge.ManagementUrl);
        builder.Services.Configure<RateLimitingOptions>(configuration.GetSection("RateLimiting"));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = edge.MaxRequestBodyBytes;
            // Kestrel answers its own limits with an empty body; with room above ours, EdgeLimits answers in SCIM.
            kestrel.Limits.MaxRequestHeadersTotalSize = edge.MaxRequestHeadersTotalBytes * EdgeLimits.KestrelHeadroom;
            kestrel.Limits.MaxRequestLineSize = edge.MaxRequestTargetBytes * EdgeLimits.KestrelHeadroom;
            // RFC 9112 §3.2.2: an absolute-form target's authority replaces Host, instead of Kestrel's bare 400.
            kestrel.AllowHostHeaderOverride = true;
        });
        // The management listener exists to be scraped.
        builder.AddServiceDefaults("rfpio-gateway", ["Yarp.ReverseProxy"], [GatewayTelemetry.MeterName], prometheus: managementPort is not null);
        builder.Services.AddSingleton<GatewayTelemetry>();
        builder.Services.AddSingleton(new TenantHosts(tenancy.BaseDomains));
        builder.Services.AddSingleton<TenantRateLimiter>();
        builder.Services.AddSingleton<AcceptedTokens>();
        builder.Services.AddRateLimiter();
        builder.Services.AddOptions<RateLimiterOptions>().Configure<TenantRateLimiter, GatewayTelemetry>((options, limiter, telemetry) =>
        {
            options.GlobalLimiter = limiter.Global;
            options.OnRejected = (rejected, _) => RejectAsync(rejected, limiter, telemetry);
        });
        builder.Services.AddRequestTimeouts();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Scheme and client address from a TLS-terminating ingress in front; never the Host (it names the tenant).
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in edge.TrustedProxyNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(edge.HstsMaxAgeDays));

        var proxy = builder.Services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddTransforms(ForwardingTransforms.Apply)
            .AddConfigFilter<TenantRouteFilter>();
        if (edge.ResolveDestinationsByDns)
        {
            proxy.AddDnsDestinationResolver(o => o.RefreshPeriod = TimeSpan.FromSeconds(edge.DnsRefreshSeconds));
        }
        builder.Services.AddSingleton<ILoadBalancingPolicy, TenantAffinityLoadBalancingPolicy>();
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveFailuresPassivePolicy>();
        builder.Services.AddHealthChecks().AddCheck<GatewayReadiness>("silo-destinations", tags: [ServiceDefaultsExtensions.ReadyTag]);

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RfpioGateway.Gateway");
        if (managementPort is { } port)
        {
            // First, so nothing of the edge (tenant hosts, limits, the proxy) ever sees the scraper's requests.
            ManagementListener.Map(app, port);
        }
        app.UseExceptionHandler(error => error.Run(context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            return ScimEdgeErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "The gateway failed to process the request; it has been logged. Retry later.");
        }));
        app.UseMiddleware<EdgeLimits>();
        if (edge.TrustedProxyNetworks.Count > 0)
        {
            // Only configured networks, not even loopback: with empty lists the middleware would believe anyone.
            app.UseForwardedHeaders();
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseRouting();
        // Timeouts outside the edge middleware, so it can still tell a route timeout from a failure when YARP returns.
        app.UseRequestTimeouts();
        app.UseMiddleware<EdgeMiddleware>();
        app.UseRateLimiter();
        app.UseMiddleware<BulkPermits>();
        app.MapHealthEndpoints();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        var hosts = app.Services.GetRequiredService<TenantHosts>();
        // "{**path}", not MapFallback's default "{*path:nonfile}": a last segment with a dot must get a SCIM 404 too.
        app.MapFallback("{**path}", context => ScimEdgeErrors.WriteAsync(context, StatusCodes.Status404NotFound,
            $"Nothing is served at {context.Request.Host}{context.Request.Path}. The SCIM endpoint is https://<tenant>.{hosts.BaseDomains.First()}/rfpserver/scim/v2."));
        return app;
    }

    /// <summary>The first route whose <c>TenantFromHost</c> metadata breaks <see cref="TenantRoutes"/>' rules, read from configuration before anything starts.</summary>
    internal static string? SiloRouteProblem(IConfigurationSection routes) =>
        routes.GetChildren()
            .Select(route => TenantRoutes.Problem(route.Key, route["ClusterId"],
                route.GetSection("Metadata").GetChildren().Select(m => new KeyValuePair<string, string?>(m.Key, m.Value))))
            .FirstOrDefault(problem => problem is not null);

    private static ValueTask RejectAsync(OnRejectedContext rejected, TenantRateLimiter limiter, GatewayTelemetry telemetry)
    {
        var context = rejected.HttpContext;
        var tenant = EdgeTenant.Of(context) ?? "";
        // Only the buckets say when to come back; the concurrency cap's refusal carries no Retry-After of its own.
        if (!rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            telemetry.RecordRateLimited("global");
            return new ValueTask(ScimEdgeErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                "The service is at its limit of requests in flight; retry after the Retry-After interval.", TimeSpan.FromSeconds(1)));
        }
        if (EdgeTenant.IsUnauthenticated(context))
        {
            telemetry.RecordRateLimited("unauthenticated");
            var anonymous = limiter.Unauthenticated;
            return new ValueTask(ScimEdgeErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                $"Requests without an accepted SCIM token are limited to {anonymous.PerSourcePermitsPerSecond} per second per address and {anonymous.PerTenantPermitsPerSecond} per second for '{tenant}'; send the tenant's token, or retry after the Retry-After interval.", retryAfter));
        }
        telemetry.RecordRateLimited("tenant");
        var (rate, burst) = limiter.LimitsFor(tenant);
        return new ValueTask(ScimEdgeErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            $"Tenant '{tenant}' is over its limit of {rate} requests per second (bursts of {burst}); retry after the Retry-After interval.", retryAfter));
    }
}
