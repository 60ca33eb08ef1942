using System.Net;
using RfpioGateway.Grains.Tests;
using RfpioGateway.Tests.Shared;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Two real silo hosts in one Orleans cluster (on Azurite, or on PostgreSQL): a change made through one silo's
/// operator API reaches the other silo's cached token verdicts within Auth:VerdictCacheSeconds.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public abstract class ClusterVerdictCases : IAsyncLifetime
{
    private SiloServer _first = null!;
    private SiloServer _second = null!;

    /// <summary>Starts the cluster store; returns the provider's name and the settings that point a silo at it.</summary>
    protected abstract Task<(string Provider, string[] Settings)> StartStoreAsync();

    protected abstract Task StopStoreAsync();

    public async Task InitializeAsync()
    {
        var (provider, settings) = await StartStoreAsync();
        string[] cluster = [.. settings, "Auth:TokenPepper=cluster-pepper",
            $"Orleans:ClusterId=verdicts{Guid.NewGuid():N}", $"Orleans:ServiceId=verdicts{Guid.NewGuid():N}"];
        _first = new SiloServer(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N")), provider) { VerdictCacheSeconds = 2, Settings = cluster };
        await _first.InitializeAsync();
        _second = new SiloServer(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N")), provider) { VerdictCacheSeconds = 2, Settings = cluster };
        await _second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await StopStoreAsync();
    }

    [Fact]
    public async Task Revoke_OnOneSilo_OtherSiloRefusesWithinTheCacheTime()
    {
        var token = await _first.CreateTenantAsync("verdicta");
        Assert.Equal(HttpStatusCode.OK, (await _second.Scim(HttpMethod.Get, "verdicta", token, "/Users")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _first.Admin(HttpMethod.Delete, "/admin/v1/tenants/verdicta/token")).StatusCode);
        var revoked = DateTime.UtcNow;

        Assert.Equal(HttpStatusCode.Unauthorized, (await _first.Scim(HttpMethod.Get, "verdicta", token, "/Users")).StatusCode);
        HttpStatusCode status;
        do
        {
            status = (await _second.Scim(HttpMethod.Get, "verdicta", token, "/Users")).StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow - revoked < TimeSpan.FromSeconds(30));
        // The cache time is 2 s here; the loop gives a shared machine 15 times that before calling it a failure.
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task SwitchOff_OnOneSilo_OtherSiloAnswers403WithinTheCacheTime()
    {
        var token = await _first.CreateTenantAsync("verdictb");
        Assert.Equal(HttpStatusCode.OK, (await _second.Scim(HttpMethod.Get, "verdictb", token, "/Users")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _first.Admin(HttpMethod.Put, "/admin/v1/tenants/verdictb/provisioning", """{"enabled":false}""")).StatusCode);
        var switched = DateTime.UtcNow;

        HttpStatusCode status;
        do
        {
            status = (await _second.Scim(HttpMethod.Get, "verdictb", token, "/Users")).StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow - switched < TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }
}

public sealed class ClusterVerdictTests : ClusterVerdictCases
{
    private Azurite _azurite = null!;

    protected override async Task<(string Provider, string[] Settings)> StartStoreAsync()
    {
        _azurite = await Azurite.StartAsync();
        return ("AzureStorage", [$"Storage:AzureStorage:ConnectionString={_azurite.ConnectionString}"]);
    }

    protected override async Task StopStoreAsync() => await _azurite.DisposeAsync();
}

public sealed class PostgresClusterVerdictTests : ClusterVerdictCases
{
    private PostgresServer _postgres = null!;

    protected override async Task<(string Provider, string[] Settings)> StartStoreAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        return ("Postgres", [$"Storage:Postgres:ConnectionString={_postgres.ConnectionString}"]);
    }

    protected override async Task StopStoreAsync() => await _postgres.DisposeAsync();
}
