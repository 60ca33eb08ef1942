using System.Text;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>Three silos on Azure Storage (Azurite): clustering and grain state survive what a cluster goes through.</summary>
public sealed class AzureStorageTests : IAsyncLifetime
{
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task Restart_WholeCluster_TenantsTokensFlagsAndUsersAreBack()
    {
        var tenant = TenantId.Parse("azure-restart");
        var digest = Encoding.UTF8.GetBytes("digest-of-a-token-0123456789abcd");
        string id;
        await using (var cluster = await AzureCluster.StartAsync(_azurite.ConnectionString))
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

        await using (var cluster = await AzureCluster.StartAsync(_azurite.ConnectionString))
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
    public async Task Membership_RandomEditSequenceOnAzureTables_MatchesAPlainSet()
    {
        await using var cluster = await AzureCluster.StartAsync(_azurite.ConnectionString);
        var tenant = await Users.TenantAsync(cluster.GrainFactory, "azure-group-model");
        var store = new Storage.Groups.AzureTableMembershipStore(new Azure.Data.Tables.TableServiceClient(_azurite.ConnectionString), "rfpio-azurite-tests");
        await Groups.RunModelAsync(cluster.GrainFactory, store, tenant, seed: 7, steps: 25);
    }

    [Fact]
    public async Task KillSilo_DuringCreates_EveryCreatedUserReadableAndNoDuplicates()
    {
        await using var cluster = await AzureCluster.StartAsync(_azurite.ConnectionString);
        var grains = cluster.GrainFactory;
        var tenant = TenantId.Parse("azure-kill");
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
