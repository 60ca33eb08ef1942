using Microsoft.Extensions.Configuration;
using RfpioGateway.ScimApi.Pipeline;
using RfpioGateway.TenantAdmin.Activity;
using RfpioGateway.TenantAdmin.Console;
using RfpioGateway.TenantAdmin.Operator;

namespace RfpioGateway.TenantAdmin;

/// <summary>Registers and maps tenant administration: the operator API, the console and the activity log.</summary>
public static class TenantAdminExtensions
{
    public static IServiceCollection AddTenantAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
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
        app.MapConsole();
    }
}
