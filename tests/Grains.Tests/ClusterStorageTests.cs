using System.Text;
using Orleans.TestingHost;
using RfpioGateway.Storage.Groups;
using RfpioGateway.Storage.Postgres;
using RfpioGateway.Tests.Shared;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Three silos on a cluster store (Azure Storage on Azurite, PostgreSQL): clustering and grain state survive what a
/// cluster goes through. Each store runs the same tests through its subclass.
/// </summary>
public abstract class ClusterStorageTests : IAsyncLifetime
{
    /// <summary>Tenant names start with it, so the two stores' tests never share a tenant.</summary>
    protected abstract string Prefix { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    protected abstract Task<TestCluster> StartClusterAsync();

    protected abstract IMembershipStore MembershipStore();

    [Fact]
    public async Task Restart_WholeCluster_TenantsTokensFlagsAndUsersAreBack()
    {
        var tenant = TenantId.Parse($"{Prefix}-restart");
        var digest = Encoding.UTF8.GetBytes("digest-of-a-token-0123456789abcd");
        string id;
        await using (var cluster = await StartClusterAsync())
        {
            var grains = cluster.GrainFactory;
            var tenantGrain = grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
            await tenantGrain.EnsureAsync(4);
            await tenantGrain.SetProvisioningAsync(true);
            await tenantGrain.SetTokenAsync(digest, "fp", DateTimeOffset.UtcNow);
            var created = await Users.CreateAsync(grains, tenant, """{"userName":"kept@example.com","externalId":"k-1","title":"Kept"}""");
            Assert.True(created.IsSuccess, created.Failure?.Detail);
            id = created.Resource!.Id;
            await cluster.StopAllSilosAsync();
        }

        await using (var cluster = await StartClusterAsync())
        {
            var grains = cluster.GrainFactory;
            Assert.Equal(TenantAccess.Granted, await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).AuthorizeAsync(digest));
            Assert.Equal(id, (await Users.FindAsync(grains, tenant, "KEPT@example.com"))?.Id);
            Assert.Equal([id], await Users.ListedAsync(grains, tenant));
            var again = await Users.CreateAsync(grains, tenant, """{"userName":"kept@example.com"}""");
            Assert.Equal(409, again.Failure?.Status);
        }
    }

    [Fact]
    public async Task Membership_RandomEditSequence_MatchesAPlainSet()
    {
        await using var cluster = await StartClusterAsync();
        var tenant = await Users.TenantAsync(cluster.GrainFactory, $"{Prefix}-group-model");
        await Groups.RunModelAsync(cluster.GrainFactory, MembershipStore(), tenant, seed: 7, steps: 25);
    }

    [Fact]
    public async Task KillSilo_DuringCreates_EveryCreatedUserReadableAndNoDuplicates()
    {
        await using var cluster = await StartClusterAsync();
        var grains = cluster.GrainFactory;
        var tenant = TenantId.Parse($"{Prefix}-kill");
        await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).EnsureAsync(4);

        var names = Enumerable.Range(0, 60).Select(i => $"burst-{i}@example.com").ToArray();
        var creates = names.Select(async (name, i) =>
        {
            await Task.Yield();
            try
            {
                return await Users.CreateAsync(grains, tenant, $$"""{"userName":"{{name}}"}""");
            }
            catch (Exception) when (i >= 0)
            {
                return null; // in flight on the killed silo: the IdP would retry
            }
        }).ToList();
        await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
        var results = await Task.WhenAll(creates);

        foreach (var (name, result) in names.Zip(results))
        {
            if (result is { IsSuccess: true })
            {
                Assert.Equal(result.Resource!.Id, (await Users.FindAsync(grains, tenant, name))?.Id);
                continue;
            }
            // The IdP's retry: created now, or 409 because the first attempt got far enough.
            var retry = await Users.CreateAsync(grains, tenant, $$"""{"userName":"{{name}}"}""");
            Assert.True(retry.IsSuccess || retry.Failure?.Status == 409, retry.Failure?.Detail);
            Assert.NotNull(await Users.FindAsync(grains, tenant, name));
        }
        var listed = await Users.ListedAsync(grains, tenant);
        Assert.Equal(names.Length, listed.Count);
        Assert.Equal(names.Length, listed.Distinct().Count());
    }
}

public sealed class AzureStorageTests : ClusterStorageTests
{
    private Azurite _azurite = null!;

    protected override string Prefix => "azure";

    public override async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public override async Task DisposeAsync() => await _azurite.DisposeAsync();

    protected override Task<TestCluster> StartClusterAsync() => AzureCluster.StartAsync(_azurite.ConnectionString);

    protected override IMembershipStore MembershipStore() =>
        new AzureTableMembershipStore(new Azure.Data.Tables.TableServiceClient(_azurite.ConnectionString), "rfpio-azurite-tests");
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class PostgresStorageTests : ClusterStorageTests
{
    private PostgresServer _server = null!;
    private PostgresDatabase _database = null!;

    protected override string Prefix => "pg";

    public override async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _database = new PostgresDatabase(_server.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _server.DisposeAsync();
    }

    protected override Task<TestCluster> StartClusterAsync() => PostgresCluster.StartAsync(_server.ConnectionString);

    protected override IMembershipStore MembershipStore() => new PostgresMembershipStore(_database, PostgresCluster.ServiceId);
}
