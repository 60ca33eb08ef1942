using Microsoft.Extensions.Configuration;
using RfpioGateway.ScimApi.Pipeline;
using RfpioGateway.TenantAdmin.Activity;
using RfpioGateway.TenantAdmin.Console;
using RfpioGateway.TenantAdmin.Events;
using RfpioGateway.TenantAdmin.Operator;

namespace RfpioGateway.TenantAdmin;

/// <summary>Registers and maps tenant administration: the operator API, event streams, the console and the activity log.</summary>
public static class TenantAdminExtensions
{
    /// <param name="signingKeys">The SET signing keys (PEM, the first signs); empty when a cluster configured none, which leaves streams unavailable.</param>
    public static IServiceCollection AddTenantAdmin(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<string> signingKeys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<EventOptions>(configuration.GetSection("Events"));
        services.AddSingleton(new EventSigningKeys(signingKeys));
        services.AddSingleton<SecurityEventTokens>();
        services.AddSingleton<Grains.IEventDelivery, HttpEventDelivery>();
        services.Configure<Grains.EventFeedOptions>(configuration.GetSection("EventFeed"));
        services.AddSingleton<TenantSettings>();
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ITenantAdminAuthenticator, CredentialAuthenticator>();
        services.Configure<ActivityOptions>(configuration.GetSection("Activity"));
        services.AddSingleton<ActivityRecorder>();
        services.AddHostedService(s => s.GetRequiredService<ActivityRecorder>());
        services.AddSingleton<IScimRequestObserver, ActivityObserver>();
        return services;
    }

    /// <param name="apiKey">The operator API's bearer key (configured, or kept beside a single node's database).</param>
    public static void MapTenantAdmin(this WebApplication app, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAdmin(apiKey);
        app.MapEventStreams();
        app.MapConsole();
    }
}
