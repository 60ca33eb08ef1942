using System.Security.Cryptography;
using System.Text;
using Orleans.Dashboard;

namespace RfpioGateway.Silo.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> on the silo's own port (which the public gateway never routes), behind
/// the operator key: <c>Authorization: Bearer &lt;Admin:ApiKey&gt;</c>, or HTTP Basic with the key as the password,
/// which is what a browser can send (it asks once, then sends it with every call the dashboard's page makes).
/// </summary>
internal static class OperatorDashboard
{
    public const string Path = "/dashboard";

    public static void MapOperatorDashboard(this WebApplication app, string apiKey)
    {
        var key = Encoding.UTF8.GetBytes(apiKey);
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase), branch => branch.Use(async (context, next) =>
        {
            if (!Presents(context.Request.Headers.Authorization.ToString(), key))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"RfpioGateway operator\", charset=\"UTF-8\"";
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("The dashboard needs the operator key (Admin:ApiKey): as a Bearer token, or as the password of HTTP Basic (any user name).");
                return;
            }
            await next(context);
        }));
        app.MapOrleansDashboard(Path);
    }

    private static bool Presents(string header, byte[] key)
    {
        byte[] presented;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = Encoding.UTF8.GetBytes(header[7..].Trim());
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var encoded = header[6..].Trim();
            var decoded = new byte[encoded.Length];
            if (!Convert.TryFromBase64String(encoded, decoded, out var length))
            {
                return false;
            }
            var pair = Encoding.UTF8.GetString(decoded, 0, length);
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            presented = colon < 0 ? [] : Encoding.UTF8.GetBytes(pair[(colon + 1)..]);
        }
        else
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(presented, key);
    }
}
