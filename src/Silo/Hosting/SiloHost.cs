using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using RfpioGateway.Grains;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.ServiceDefaults;
using RfpioGateway.ScimApi;
using RfpioGateway.ScimApi.Auth;
using RfpioGateway.Storage;
using RfpioGateway.TenantAdmin;
using RfpioGateway.TenantAdmin.Activity;

namespace RfpioGateway.Silo.Hosting;

/// <summary>Builds the silo host: the Orleans silo, its storage, and the HTTP APIs. Tests use it as the program does.</summary>
public static class SiloHost
{
    /// <summary>
    /// Every configuration section the silo binds and the class it binds to. Deployment manifests are checked
    /// against these, so a setting the silo would ignore fails a test instead of a rollout.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Type> OptionsSections = new Dictionary<string, Type>
    {
        ["Storage"] = typeof(StorageOptions),
        ["Tenancy"] = typeof(SiloTenancyOptions),
        ["Auth"] = typeof(AuthOptions),
        ["Admin"] = typeof(AdminOptions),
        ["Orleans"] = typeof(OrleansSettings),
        ["Activity"] = typeof(ActivityOptions),
        ["Offboarding"] = typeof(OffboardingOptions),
        ["Events"] = typeof(TenantAdmin.Events.EventOptions),
        ["EventFeed"] = typeof(EventFeedOptions),
        ["Dashboard"] = typeof(DashboardSettings),
        ["Telemetry"] = typeof(TelemetrySettings),
    };

    /// <summary>Configured keys; else a single node's own (kept beside its database); a cluster without keys gets none.</summary>
    private static List<string> EventSigningKeysOf(ConfigurationManager configuration, StorageOptions storage, string dataFolder)
    {
        var configured = configuration.GetSection("Events:SigningKeys").Get<List<string>>() ?? [];
        if (configured.Count > 0 || storage.IsCluster)
        {
            return configured;
        }
        return [LocalSecrets.GetOrCreate(dataFolder, "event-signing-key.pem", TenantAdmin.Events.EventSigningKeys.NewPem)];
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var configuration = builder.Configuration;
        Placeholders.Refuse(configuration);
        var storage = StorageOptions.From(configuration);
        var orleans = configuration.GetSection("Orleans").Get<OrleansSettings>() ?? new OrleansSettings();
        var dataFolder = Path.GetDirectoryName(storage.SqlitePath(builder.Environment.ContentRootPath))!;

        var pepper = configuration["Auth:TokenPepper"];
        var apiKey = configuration["Admin:ApiKey"];
        if (storage.IsCluster && (string.IsNullOrWhiteSpace(pepper) || string.IsNullOrWhiteSpace(apiKey)))
        {
            throw new InvalidOperationException($"A cluster (Storage:Provider={storage.Kind}) needs Auth:TokenPepper and Admin:ApiKey configured: every silo must use the same ones.");
        }
        pepper = string.IsNullOrWhiteSpace(pepper) ? LocalSecrets.GetOrCreate(dataFolder, "token-pepper") : pepper;
        apiKey = string.IsNullOrWhiteSpace(apiKey) ? LocalSecrets.GetOrCreate(dataFolder, "admin-api-key") : apiKey;

        var telemetry = configuration.GetSection("Telemetry").Get<TelemetrySettings>() ?? new TelemetrySettings();
        builder.AddServiceDefaults("rfpio-silo",
            ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Storage", StorageTelemetry.SourceName, ScimApi.Pipeline.ScimTelemetry.Source.Name],
            ["Microsoft.Orleans", ScimApi.Pipeline.ScimTelemetry.MeterName],
            prometheus: telemetry.Prometheus);
        builder.Services.AddSingleton<SiloReadiness>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<SiloReadiness>());
        builder.Services.AddHealthChecks().AddCheck<SiloReadiness>("orleans-silo", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMemoryCache(o => o.SizeLimit = 100_000);
        builder.Services.AddHostedService<CacheSweeper>();
        builder.Services.Configure<OffboardingOptions>(configuration.GetSection("Offboarding"));
        builder.Services.AddScimApi(configuration, pepper);
        builder.Services.AddTenantAdmin(configuration, EventSigningKeysOf(configuration, storage, dataFolder));
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The gateway forwards the original host; only loopback (the default) and configured proxies are believed.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedFor;
            foreach (var network in configuration.GetSection("Tenancy").Get<SiloTenancyOptions>()?.TrustedProxyNetworks ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = ServiceProviderConfigOptions.Default.MaxPayloadSize + 1;
            // Above the gateway's own limits (Edge:MaxRequestTargetBytes, MaxRequestHeadersTotalBytes, plus the
            // headers it adds): a request the gateway let through must not meet Kestrel's bare 414 or 431 here.
            k.Limits.MaxRequestLineSize = 64 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 160 * 1024;
        });

        var dashboard = (configuration.GetSection("Dashboard").Get<DashboardSettings>() ?? new DashboardSettings()).Enabled;
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans.ClusterId;
                o.ServiceId = orleans.ServiceId;
            });
            silo.AddActivityPropagation();
            silo.AddStartupTask<OffboardingWakeUp>();
            silo.Configure<GrainDirectoryOptions>(o =>
            {
                o.CacheSize = orleans.DirectoryCacheSize;
                o.MaximumCacheTTL = orleans.DirectoryCacheIdleTime;
            });
            silo.Configure<GrainCollectionOptions>(o =>
            {
                if (orleans.GrainCollectionAge is { } age)
                {
                    o.CollectionAge = age;
                    // Orleans requires the sweep interval to be shorter than the age.
                    o.CollectionQuantum = age < o.CollectionQuantum * 2 ? age / 2 : o.CollectionQuantum;
                }
                // Never longer than every other grain's age, never shorter than Orleans' sweep interval.
                var userAge = orleans.UserGrainCollectionAge < o.CollectionAge ? orleans.UserGrainCollectionAge : o.CollectionAge;
                userAge = userAge < o.CollectionQuantum ? o.CollectionQuantum : userAge;
                foreach (var type in new[] { typeof(UserGrain), typeof(UniqueKeyGrain) })
                {
                    o.ClassSpecificCollectionAge[type.FullName!] = userAge;
                }
            });
            silo.AddRfpioStorage(configuration, builder.Environment.ContentRootPath);
            if (dashboard)
            {
                // The log stream would show every request's log lines to whoever holds the key; the rest is cluster state.
                silo.AddDashboard(o => o.HideTrace = true);
            }
        });

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RfpioGateway.Silo");
        if (storage.Kind == StorageKind.Memory)
        {
            logger.LogWarning("Storage:Provider is Memory: NOTHING IS KEPT. Every tenant, token and user is lost when this process stops. Use it for tests only.");
        }
        if (string.IsNullOrWhiteSpace(configuration["Admin:ApiKey"]))
        {
            logger.LogWarning("No Admin:ApiKey configured; the operator API key for this node is in {Path}.", Path.Combine(dataFolder, "admin-api-key"));
        }

        app.UseExceptionHandler(error => error.Run(context =>
        {
            // Never a stack trace or an HTML page: a SCIM 503 when the cluster is changing, else a plain SCIM 500.
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (TransientFailures.IsTransient(exception))
            {
                logger.LogWarning(exception, "Cluster unavailable for {Method} {Path}; answered 503", context.Request.Method, context.Request.Path);
                context.Response.Headers.RetryAfter = TransientFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ScimHttp.WriteErrorAsync(context, ScimError.Unavailable(
                    "A node of the service is unavailable and its work is moving to the others; nothing was lost. Retry after the Retry-After interval."));
            }
            if (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away mid-request: nobody to answer, and not a failure of ours.
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Client closed the connection during {Method} {Path}", context.Request.Method, context.Request.Path);
                }
                return Task.CompletedTask;
            }
            logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            return ScimHttp.WriteErrorAsync(context, ScimError.Internal("The service failed to process the request; it has been logged. Retry later."));
        }));
        app.UseForwardedHeaders();
        // Routing after the exception handler and forwarded headers, so a routing failure is a SCIM 500 too.
        app.UseRouting();
        app.MapHealthEndpoints();
        app.MapScimApi();
        app.MapTenantAdmin(apiKey);
        if (telemetry.Prometheus)
        {
            // Prometheus text for the cluster's scraper, on this internal port only (the gateway never routes it).
            app.MapPrometheusScrapingEndpoint("/metrics");
        }
        if (dashboard)
        {
            app.MapOperatorDashboard(apiKey);
        }
        return app;
    }
}
