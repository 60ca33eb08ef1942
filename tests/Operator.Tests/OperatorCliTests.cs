using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Operator.Tests;

/// <summary>The operator CLI against a real silo (Memory storage), in process: each command does what the API does.</summary>
public sealed class OperatorCliTests : IAsyncLifetime
{
    private const string Key = "operator-cli-key";
    private WebApplication _silo = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _silo = SiloHost.Build([$"--contentRoot={Path.Combine(AppContext.BaseDirectory, "silo")}", "--Urls=http://127.0.0.1:0",
            "--Storage:Provider=Memory", $"--Admin:ApiKey={Key}", "--Auth:TokenPepper=p", $"--Orleans:SiloPort={FreePorts.Next()}",
            $"--Orleans:GatewayPort={FreePorts.Next()}", "--Logging:LogLevel:Default=Warning"]);
        await _silo.StartAsync();
        _address = new Uri(_silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task RunAsync_TenantLifecycle_EachCommandChangesWhatTheApiShows()
    {
        Assert.Equal(0, (await RunAsync("tenant", "create", "cli-acme", "--shards", "4")).Exit);
        Assert.Equal(0, (await RunAsync("provisioning", "cli-acme", "on")).Exit);
        var issued = await RunAsync("token", "issue", "cli-acme", "--json");
        Assert.Equal(0, issued.Exit);
        var token = JsonDocument.Parse(issued.Output).RootElement.GetProperty("token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, await ScimStatusAsync("cli-acme", token));
        var shown = await RunAsync("tenant", "show", "cli-acme");
        Assert.Contains("provisioningEnabled: true", shown.Output, StringComparison.Ordinal);
        Assert.Contains("shardCount: 4", shown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, shown.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("token", "revoke", "cli-acme")).Exit);
        Assert.Equal(HttpStatusCode.Unauthorized, await ScimStatusAsync("cli-acme", token));

        var credential = await RunAsync("admin-credential", "issue", "cli-acme");
        Assert.Matches("credential: rfpadm_", credential.Output);
        var activity = await RunAsync("activity", "cli-acme", "--count", "5", "--json");
        Assert.Equal(0, activity.Exit);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(activity.Output).RootElement.GetProperty("records").ValueKind);

        var listed = await RunAsync("tenant", "list", "--after", "cli-acma", "--count", "1");
        Assert.Contains("- cli-acme", listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("tenant", "offboard", "cli-acme")).Exit);
        var gone = await RunAsync("tenant", "show", "cli-acme");
        Assert.Equal(1, gone.Exit);
        Assert.StartsWith("404: ", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WrongKey_Exit1WithTheApisDetail()
    {
        var refused = await RunAsync(["tenant", "show", "cli-x", "--url", _address.ToString(), "--key", "wrong"], withKey: false);

        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("401: ", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoKeyOrUnknownCommandOrBadSwitch_Exit2OrParseError()
    {
        Assert.Equal(2, (await RunAsync(["tenant", "show", "cli-x", "--url", _address.ToString()], withKey: false)).Exit);
        Assert.NotEqual(0, (await RunAsync("tenant", "explode", "cli-x")).Exit);
        var bad = await RunAsync("provisioning", "cli-x", "maybe");
        Assert.NotEqual(0, bad.Exit);
        Assert.Contains("maybe", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SiloUnreachable_Exit2SayingSo()
    {
        var result = await RunAsync(["tenant", "list", "--url", $"http://127.0.0.1:{FreePorts.Next()}/", "--key", Key], withKey: false);

        Assert.Equal(2, result.Exit);
        Assert.Contains("could not be reached", result.Error, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(args, withKey: true);

    private async Task<(int Exit, string Output, string Error)> RunAsync(string[] args, bool withKey)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] all = withKey ? [.. args, "--url", _address.ToString(), "--key", Key] : args;
        var exit = await OperatorCli.RunAsync(all, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<HttpStatusCode> ScimStatusAsync(string tenant, string token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_address, "/rfpserver/scim/v2/Users"));
        request.Headers.Host = $"{tenant}.localhost";
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await http.SendAsync(request)).StatusCode;
    }
}
