using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Grains;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.ScimApi.Auth;
using RfpioGateway.ScimApi.Pipeline;

namespace RfpioGateway.ScimApi;

/// <summary>Registers and maps the SCIM API. The host supplies the token pepper (configured, or kept beside a single node's database).</summary>
public static class ScimApiExtensions
{
    public static IServiceCollection AddScimApi(this IServiceCollection services, IConfiguration configuration, string tokenPepper)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<SiloTenancyOptions>(configuration.GetSection("Tenancy"));
        services.Configure<AuthOptions>(configuration.GetSection("Auth"));
        services.Configure<ServiceDefaults.TelemetrySettings>(configuration.GetSection("Telemetry"));
        services.AddSingleton(new TokenService(Encoding.UTF8.GetBytes(tokenPepper)));
        services.AddSingleton(ServiceProviderConfigOptions.Default);
        services.AddSingleton<ScimTelemetry>();
        services.AddSingleton<TenantHostResolver>();
        services.AddSingleton<VerdictChanges>();
        services.AddSingleton<TenantAuthorizer>();
        services.AddSingleton<ResourceDirectory>();
        services.AddSingleton<Endpoints.MembershipAttributes>();
        services.AddSingleton<Endpoints.SubRequests>();
        services.AddSingleton<Endpoints.CursorWalks>();
        // Its own key, derived from the pepper every silo shares: a cursor is never usable as anything else.
        services.AddSingleton(new CursorCodec(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(tokenPepper), "rfpio-scim-cursor-v1"u8.ToArray())));
        return services;
    }

    /// <summary>Maps the route table under <see cref="ScimRoutes.BasePath"/>; telemetry, then authentication, in front of it.</summary>
    public static void MapScimApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ScimRoutes.BasePath, StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<ScimRequestTelemetryMiddleware>().UseMiddleware<ScimAuthenticationMiddleware>());
        app.MapScimRoutes();
    }
}
