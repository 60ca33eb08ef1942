using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// One SQLite node in a folder of its own, started (and started again after a kill) on the same file, with the calls
/// a crash test makes to it: the operator API, a tenant with provisioning on and a token, and SCIM on its host.
/// </summary>
internal sealed class SingleNode(string tenant, string adminKey, params string[] settings) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rfpio-single-node", Guid.NewGuid().ToString("N"));

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public SiloProcess Start()
    {
        Directory.CreateDirectory(_folder);
        return SiloProcess.Start(
        [
            "Storage:Provider=Sqlite",
            $"Storage:Sqlite:Path={Path.Combine(_folder, "silo.db")}",
            $"Orleans:SiloPort={FreePorts.Next()}",
            $"Orleans:GatewayPort={FreePorts.Next()}",
            $"Admin:ApiKey={adminKey}",
            "Logging:LogLevel:Default=Warning",
            .. settings,
        ]);
    }

    public async Task<HttpResponseMessage> AdminAsync(Uri silo, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(silo, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        request.Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        return await Http.SendAsync(request);
    }

    /// <summary>Creates the tenant, switches provisioning on and returns a fresh SCIM token.</summary>
    public async Task<string> TenantAsync(Uri silo)
    {
        (await AdminAsync(silo, HttpMethod.Put, $"/admin/v1/tenants/{tenant}")).EnsureSuccessStatusCode();
        (await AdminAsync(silo, HttpMethod.Put, $"/admin/v1/tenants/{tenant}/provisioning", """{"enabled":true}""")).EnsureSuccessStatusCode();
        var issued = await AdminAsync(silo, HttpMethod.Post, $"/admin/v1/tenants/{tenant}/token");
        return JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    public async Task<HttpResponseMessage> ScimAsync(Uri silo, string token, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(silo, "/rfpserver/scim/v2" + path));
        request.Headers.Host = $"{tenant}.rfpio.com";
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/scim+json");
        return await Http.SendAsync(request);
    }

    public void Dispose()
    {
        Http.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Gone already, or a file the killed process still held: the temp folder is cleaned up eventually.
        }
    }
}
