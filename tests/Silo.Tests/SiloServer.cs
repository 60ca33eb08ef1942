using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// A real silo host: Kestrel on a free loopback port, a real Orleans silo, SQLite in a temporary folder.
/// Requests go to 127.0.0.1 with the tenant's host name in the Host header (other clients than curl and
/// browsers cannot resolve *.localhost here).
/// </summary>
public sealed class SiloServer : IAsyncLifetime, IAsyncDisposable
{
    public const string AdminKey = "test-operator-key";

    private WebApplication? _app;

    public SiloServer() : this(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N")))
    {
    }

    internal SiloServer(string dataFolder, string provider = "Sqlite")
    {
        DataFolder = dataFolder;
        Provider = provider;
    }

    public string DataFolder { get; }

    public string Provider { get; }

    public HttpClient Http { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public int VerdictCacheSeconds { get; init; } = 10;

    /// <summary>More settings, <c>Key=Value</c> (for example a cluster's storage and pepper).</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>Runs on the host builder before the silo is built, for services a test puts in place of the defaults.</summary>
    public Action<WebApplicationBuilder>? Configure { get; init; }

    public async Task InitializeAsync()
    {
        string[] args =
        [
            $"--Urls=http://127.0.0.1:0",
            $"--Storage:Provider={Provider}",
            $"--Storage:Sqlite:Path={Path.Combine(DataFolder, "silo.db")}",
            $"--Orleans:SiloPort={FreePorts.Next()}",
            $"--Orleans:GatewayPort={FreePorts.Next()}",
            $"--Admin:ApiKey={AdminKey}",
            $"--Auth:VerdictCacheSeconds={VerdictCacheSeconds}",
            "--Logging:LogLevel:Default=Warning",
            "--Tenancy:TenantUrlTemplate=https://{tenant}.rfpio.com/rfpserver/scim/v2",
            .. Settings.Select(s => "--" + s),
        ];
        _app = SiloHost.Build(args, builder =>
        {
            builder.Environment.ContentRootPath = AppContext.BaseDirectory;
            Configure?.Invoke(builder);
        });
        try
        {
            await _app.StartAsync();
        }
        catch
        {
            // A silo that failed to start cannot be stopped (Orleans refuses), only disposed.
            await _app.DisposeAsync();
            _app = null;
            throw;
        }
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            var app = _app;
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Http.Dispose();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>Creates a tenant, switches provisioning on (unless told not to) and returns a fresh token.</summary>
    public async Task<string> CreateTenantAsync(string tenant, bool enabled = true)
    {
        (await Admin(HttpMethod.Put, $"/admin/v1/tenants/{tenant}")).EnsureSuccessStatusCode();
        if (enabled)
        {
            (await Admin(HttpMethod.Put, $"/admin/v1/tenants/{tenant}/provisioning", """{"enabled":true}""")).EnsureSuccessStatusCode();
        }
        return await IssueTokenAsync(tenant);
    }

    public async Task<string> IssueTokenAsync(string tenant)
    {
        var response = await Admin(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/token");
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    public Task<HttpResponseMessage> Admin(HttpMethod method, string path, string? json = null, string key = AdminKey)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return Http.SendAsync(request);
    }

    /// <summary>A SCIM request for a tenant's host, as an IdP sends it.</summary>
    public Task<HttpResponseMessage> Scim(HttpMethod method, string tenant, string? token, string path, string? json = null,
        string contentType = "application/scim+json", Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, "/rfpserver/scim/v2" + path));
        request.Headers.Host = $"{tenant}.localhost";
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        configure?.Invoke(request);
        return Http.SendAsync(request);
    }
}
