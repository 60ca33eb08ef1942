using Microsoft.AspNetCore.Http.Features;

namespace RfpioGateway.Gateway.Hosting;

/// <summary>
/// The gateway's management port (<see cref="EdgeOptions.ManagementUrl"/>): <c>/metrics</c> and health only, told
/// apart by the port a connection arrived on, never by its Host header, which a client chooses.
/// </summary>
internal static class ManagementListener
{
    /// <summary>Adds the management URL to the listeners; returns its port, or null when there is none.</summary>
    public static int? Add(WebApplicationBuilder builder, string managementUrl)
    {
        if (string.IsNullOrWhiteSpace(managementUrl))
        {
            return null;
        }
        var match = System.Text.RegularExpressions.Regex.Match(managementUrl.Trim(), @"^http://[^/:]+:(\d{1,5})/?$");
        if (!match.Success || !int.TryParse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            throw new InvalidOperationException($"Edge:ManagementUrl must be an http URL with a fixed port, such as http://+:9090, not '{managementUrl}'.");
        }
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : "http://localhost:5000";
        builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), managementUrl]);
        return port;
    }

    public static void Map(WebApplication app, int port)
    {
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => OnPort(context, port) && context.Request.Path == "/metrics");
        app.Use(async (context, next) =>
        {
            if (OnPort(context, port) && !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("The management port serves /metrics and /health only.");
                return;
            }
            await next(context);
        });
    }

    private static bool OnPort(HttpContext context, int port) => context.Features.Get<IHttpConnectionFeature>()?.LocalPort == port;
}
