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
        try
        {
            TenantShards.Carry(tenant, 3);

            Assert.Equal(3, await TenantShards.OfAsync(fixture.Client, tenant));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task OfAsync_CarriedForAnotherTenant_TenantGrainsCount()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "shards-other", shards: 6);
        try
        {
            TenantShards.Carry(TenantId.Parse("shards-other-x"), 3);

            Assert.Equal(6, await TenantShards.OfAsync(fixture.Client, tenant));
        }
        finally
        {
            RequestContext.Clear();
        }
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
        try
        {
            TenantShards.Carry(tenant, 1);
            var created = await fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, id))
                .CreateAsync(Encoding.UTF8.GetBytes("""{"userName":"carried@example.com"}"""));
            Assert.True(created.IsSuccess, created.Failure?.Detail);
        }
        finally
        {
            RequestContext.Clear();
        }

        var shard0 = await fixture.Client.GetGrain<IDirectoryShardGrain>(GrainKeys.Shard(tenant, 0)).ReadAsync(null, 0, 10);
        Assert.Equal([id], shard0.Resources.Select(r => r.Id));
    }
}
