using System.Text;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>The shard count a request carries is used for its own tenant only, and a resource grain uses it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TenantShardsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task OfAsync_NothingCarried_TenantGrainsCount()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "shards-none", shards: 6);
        RequestContext.Clear();

        Assert.Equal(6, await TenantShards.OfAsync(fixture.Client, tenant));
    }

    [Fact]
    public async Task OfAsync_CarriedForThisTenant_CarriedCount()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "shards-carried", shards: 6);

        Assert.Equal(3, await CarryingAsync(tenant, 3, () => TenantShards.OfAsync(fixture.Client, tenant).AsTask()));
    }

    [Fact]
    public async Task OfAsync_CarriedForAnotherTenant_TenantGrainsCount()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "shards-other", shards: 6);

        Assert.Equal(6, await CarryingAsync(TenantId.Parse("shards-other-x"), 3, () => TenantShards.OfAsync(fixture.Client, tenant).AsTask()));
    }

    [Fact]
    public async Task Create_ShardCountCarried_SummaryInTheShardThatCountNames()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "shards-create", shards: 4);
        // An id the tenant's own count (4) puts outside shard 0, so only a carried count of 1 lists it there.
        var id = ResourceIds.New();
        while (ResourceSummaries.ShardOf(id, 4) == 0)
        {
            id = ResourceIds.New();
        }
        var created = await CarryingAsync(tenant, 1, () => fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, id))
            .CreateAsync(Encoding.UTF8.GetBytes("""{"userName":"carried@example.com"}""")));
        Assert.True(created.IsSuccess, created.Failure?.Detail);

        var shard0 = await fixture.Client.GetGrain<IDirectoryShardGrain>(GrainKeys.Shard(tenant, 0)).ReadAsync(null, 0, 10);
        Assert.Equal([id], shard0.Resources.Select(r => r.Id));
    }

    /// <summary>Runs <paramref name="call"/> with a shard count carried, as the SCIM API's middleware carries one.</summary>
    private static async Task<T> CarryingAsync<T>(TenantId tenant, int shardCount, Func<Task<T>> call)
    {
        try
        {
            TenantShards.Carry(tenant, shardCount);
            return await call();
        }
        finally
        {
            RequestContext.Clear();
        }
    }
}
