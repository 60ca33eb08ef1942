using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RfpioGateway.Gateway.Hosting;
using RfpioGateway.Gateway.LoadBalancing;
using RfpioGateway.Grains.Tests;
using RfpioGateway.Tests.Shared;
using Xunit.Abstractions;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// The failover drill as a test: two silo processes in one cluster (on Azurite, or on PostgreSQL) behind the real
/// gateway; one is SIGKILLed during Entra-style creates. Clients see only retryable SCIM errors, traffic recovers
/// once the cluster declares the node dead, and every acknowledged create is there exactly once.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public abstract class FailoverCases(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminKey = "failover-operator-key";
    private const int CreatesBeforeKill = 15;
    private const int CreatesAfterRecovery = 15;
    private static readonly string[] Destinations = ["silo1", "silo2"];

    /// <summary>Two tenants the gateway sends to each silo, so the kill takes half of them away from their silo.</summary>
    private static readonly string[] Tenants = [.. Destinations.SelectMany(silo =>
        Enumerable.Range(0, 100).Select(i => $"failover{i}").Where(t => Destinations[RendezvousHash.Pick(t, Destinations, d => d)] == silo).Take(2))];

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<SiloProcess> _silos = [];
    private WebApplication _gateway = null!;
    private StackClient _client = null!;

    /// <summary>Starts the cluster store; returns the silo settings that name it.</summary>
    protected abstract Task<string[]> StartStoreAsync();

    protected abstract Task StopStoreAsync();

    public async Task InitializeAsync()
    {
        var store = await StartStoreAsync();
        var cluster = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 2; i++)
        {
            _silos.Add(SiloProcess.Start(
            [
                .. store,
                $"Orleans:ClusterId=failover{cluster}",
                $"Orleans:ServiceId=failover{cluster}",
                $"Orleans:SiloPort={FreePorts.Next()}",
                $"Orleans:GatewayPort={FreePorts.Next()}",
                "Auth:TokenPepper=failover-pepper",
                $"Admin:ApiKey={AdminKey}",
                "Logging:LogLevel:Default=Warning",
                // One line per request served, to see that the silo to be killed was serving tenants.
                "Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
            ]));
        }
        foreach (var silo in _silos)
        {
            await silo.WaitUntilReadyAsync(_http);
        }
        _gateway = GatewayHost.Build(
        [
            $"--contentRoot={Path.Combine(AppContext.BaseDirectory, "gateway")}",
            "--Urls=http://127.0.0.1:0",
            $"--ReverseProxy:Clusters:silo:Destinations:{Destinations[0]}:Address={_silos[0].Address}",
            $"--ReverseProxy:Clusters:silo:Destinations:{Destinations[1]}:Address={_silos[1].Address}",
        ], builder => builder.Logging.ClearProviders());
        await _gateway.StartAsync();
        var gateway = new Uri(_gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _client = new StackClient(_http, gateway, _silos[0].Address, AdminKey);
    }

    public async Task DisposeAsync()
    {
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }
        await StopStoreAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task KillSilo_DuringCreates_RetryableErrorsOnlyAndEveryAcknowledgedCreateThereOnce()
    {
        var tokens = new Dictionary<string, string>();
        foreach (var tenant in Tenants)
        {
            tokens[tenant] = await _client.CreateTenantAsync(tenant);
        }
        var acknowledged = Tenants.ToDictionary(t => t, _ => new ConcurrentDictionary<string, string>());
        var failures = new ConcurrentQueue<(HttpStatusCode Status, string? MediaType, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        var killed = 0;
        var killedAt = TimeSpan.Zero;
        var recovered = new ConcurrentDictionary<string, int>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(150));

        async Task Provision(string tenant)
        {
            for (var n = 1; !deadline.IsCancellationRequested; n++)
            {
                if (Volatile.Read(ref killed) == 1 && recovered.GetValueOrDefault(tenant) >= CreatesAfterRecovery)
                {
                    return;
                }
                var userName = $"u{n}@{tenant}.example.com";
                var id = await CreateLikeEntraAsync(tenant, tokens[tenant], userName, failures, clock, deadline.Token);
                if (id is null)
                {
                    return;
                }
                acknowledged[tenant][userName] = id;
                if (Volatile.Read(ref killed) == 1)
                {
                    recovered.AddOrUpdate(tenant, 1, (_, count) => count + 1);
                }
            }
        }

        var workers = Tenants.Select(t => Task.Run(() => Provision(t))).ToList();
        await Eventually.TrueAsync(() => acknowledged.Values.All(a => a.Count >= CreatesBeforeKill), seconds: 60, because: "the cluster served creates before the kill");
        var servedByKilled = _silos[1].LinesContaining("Request finished", "/rfpserver/scim/v2/Users");
        killedAt = clock.Elapsed;
        Volatile.Write(ref killed, 1);
        _silos[1].Kill();
        await Task.WhenAll(workers);

        Assert.False(deadline.IsCancellationRequested, $"creates did not recover within 150 s of the start; errors after the kill: {failures.Count}");
        var lastFailure = failures.IsEmpty ? killedAt : failures.Max(f => f.At);
        output.WriteLine($"killed at {killedAt.TotalSeconds:F1} s; {failures.Count} failed requests " +
            $"({string.Join(", ", failures.GroupBy(f => (int)f.Status).Select(g => $"{g.Key}: {g.Count()}"))}); " +
            $"last failure {(lastFailure - killedAt).TotalSeconds:F1} s after the kill; creates acknowledged: {acknowledged.Values.Sum(a => a.Count)}; " +
            $"the killed silo had served {servedByKilled} SCIM requests; test time {clock.Elapsed.TotalSeconds:F1} s");
        // The killed silo was serving two of the tenants; the gateway moved them to the survivor.
        Assert.True(servedByKilled > 0, "the killed silo served no SCIM request, so nothing failed over");
        // Only answers a client retries: the gateway's 502/503 for the dead node, the survivor's 503 while the
        // cluster has not yet declared it dead. Never a 500, never a non-SCIM body.
        Assert.All(failures, f =>
        {
            Assert.Contains(f.Status, new[] { HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout });
            Assert.Equal("application/scim+json", f.MediaType);
        });
        Assert.All(failures, f => Assert.True(f.At >= killedAt, $"a {f.Status} at {f.At} came before the kill at {killedAt}"));

        foreach (var tenant in Tenants)
        {
            foreach (var (userName, id) in acknowledged[tenant])
            {
                using var read = await _client.ScimAsync(HttpMethod.Get, tenant, tokens[tenant], $"/Users/{id}");
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                Assert.Equal(userName, (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userName").GetString());
            }
            var listed = await ListUserNamesAsync(tenant, tokens[tenant]);
            Assert.Equal(listed.Count, listed.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Equal(acknowledged[tenant].Keys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// Entra's create: look the userName up, create it if absent; any failure is retried from the lookup, as Entra's
    /// next cycle does, so a create whose answer was lost is found rather than duplicated. Null when out of time.
    /// </summary>
    private async Task<string?> CreateLikeEntraAsync(string tenant, string token, string userName,
        ConcurrentQueue<(HttpStatusCode, string?, TimeSpan)> failures, Stopwatch clock, CancellationToken cancellation)
    {
        var filter = "/Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\"");
        var body = $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","active":true}""";
        while (!cancellation.IsCancellationRequested)
        {
            using (var lookup = await _client.ScimAsync(HttpMethod.Get, tenant, token, filter))
            {
                if (lookup.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue((lookup.StatusCode, lookup.Content.Headers.ContentType?.MediaType, clock.Elapsed));
                    await BackOffAsync(cancellation);
                    continue;
                }
                var found = await lookup.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
                if (found.GetProperty("totalResults").GetInt32() == 1)
                {
                    return found.GetProperty("Resources")[0].GetProperty("id").GetString();
                }
            }
            using var created = await _client.ScimAsync(HttpMethod.Post, tenant, token, "/Users", body);
            if (created.StatusCode == HttpStatusCode.Created)
            {
                return (await created.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("id").GetString();
            }
            failures.Enqueue((created.StatusCode, created.Content.Headers.ContentType?.MediaType, clock.Elapsed));
            await BackOffAsync(cancellation);
        }
        return null;
    }

    /// <summary>A client's pause before retrying a failed request; without it a worker spins on fast 502s.</summary>
    private static async Task BackOffAsync(CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<List<string>> ListUserNamesAsync(string tenant, string token)
    {
        var names = new List<string>();
        for (var start = 1; ; )
        {
            using var page = await _client.ScimAsync(HttpMethod.Get, tenant, token, $"/Users?startIndex={start}&count=100");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var json = await page.Content.ReadFromJsonAsync<JsonElement>();
            var resources = json.GetProperty("Resources").EnumerateArray().ToList();
            names.AddRange(resources.Select(r => r.GetProperty("userName").GetString()!));
            start += resources.Count;
            if (resources.Count == 0 || start > json.GetProperty("totalResults").GetInt32())
            {
                return names;
            }
        }
    }
}

[Collection(FailoverCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output) : FailoverCases(output)
{
    private Azurite _azurite = null!;

    protected override async Task<string[]> StartStoreAsync()
    {
        _azurite = await Azurite.StartAsync();
        return ["Storage:Provider=AzureStorage", $"Storage:AzureStorage:ConnectionString={_azurite.ConnectionString}"];
    }

    protected override async Task StopStoreAsync() => await _azurite.DisposeAsync();
}

[Collection(FailoverCollection.Name)]
public sealed class PostgresFailoverTests(ITestOutputHelper output) : FailoverCases(output)
{
    private PostgresServer _postgres = null!;

    protected override async Task<string[]> StartStoreAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        return ["Storage:Provider=Postgres", $"Storage:Postgres:ConnectionString={_postgres.ConnectionString}"];
    }

    protected override async Task StopStoreAsync() => await _postgres.DisposeAsync();
}
