using System.Text;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class OffboardingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Offboard_MoreUsersThanTheInlineBudget_StopsAnsweringAtOnceAndFinishesLater()
    {
        var grains = fixture.Client;
        var tenant = await Users.TenantAsync(grains, "offboard-big");
        var tenantGrain = grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        var digest = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");
        await tenantGrain.SetProvisioningAsync(true);
        await tenantGrain.SetTokenAsync(digest, "fp", DateTimeOffset.UtcNow);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await Users.CreateAsync(grains, tenant, $$"""{"userName":"big{{i}}"}""")).Resource!.Id);
        }

        Assert.False(await tenantGrain.OffboardAsync(inlineBudget: 5));
        var during = await tenantGrain.GetInfoAsync();
        Assert.True(during.Exists && during.Offboarding);
        Assert.Equal(TenantAccess.Denied, await tenantGrain.AuthorizeAsync(digest));
        var registryGrain = grains.GetGrain<ITenantRegistryGrain>(GrainKeys.Registry);
        Assert.Contains("offboard-big", await registryGrain.ListOffboardingAsync());

        // Another call (or the background timer) carries on where the first stopped.
        Assert.True(await tenantGrain.OffboardAsync(inlineBudget: 1000));
        Assert.False((await tenantGrain.GetInfoAsync()).Exists);
        foreach (var id in ids)
        {
            Assert.Null(await grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, id)).GetAsync());
        }
        Assert.DoesNotContain("offboard-big", await registryGrain.ListAsync("offboard-", 100));
        Assert.DoesNotContain("offboard-big", await registryGrain.ListOffboardingAsync());

        await Users.TenantAsync(grains, "offboard-big");
        Assert.True((await Users.CreateAsync(grains, tenant, """{"userName":"big0"}""")).IsSuccess);
    }

    [Fact]
    public async Task Offboard_SummaryOfAUserAlreadyGone_RemovesItAndFinishes()
    {
        // What a delete that crashed after clearing the user leaves behind: a summary that points at nobody.
        var grains = fixture.Client;
        var tenant = await Users.TenantAsync(grains, "offboard-ghost-row", shards: 1);
        var tenantGrain = grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        Assert.True((await Users.CreateAsync(grains, tenant, """{"userName":"real"}""")).IsSuccess);
        var shard = grains.GetGrain<IDirectoryShardGrain>(GrainKeys.Shard(tenant, 0));
        await shard.UpsertAsync(new ResourceSummary(ResourceIds.New(), """{"userName":"ghost"}"""));

        Assert.True(await tenantGrain.OffboardAsync(inlineBudget: 100));

        Assert.False((await tenantGrain.GetInfoAsync()).Exists);
        Assert.Equal(0, await shard.CountAsync(null));
    }

    [Fact]
    public async Task MarkOffboarding_TenantNotOffboarding_RegistryDropsTheStaleMark()
    {
        // What a crash between the registry's mark and the tenant's own write leaves behind.
        var grains = fixture.Client;
        var tenant = await Users.TenantAsync(grains, "offboard-stale");
        var registry = grains.GetGrain<ITenantRegistryGrain>(GrainKeys.Registry);

        await registry.MarkOffboardingAsync(tenant);

        await Eventually.TrueAsync(async () => !(await registry.ListOffboardingAsync()).Contains("offboard-stale"));
        var info = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).GetInfoAsync();
        Assert.True(info.Exists && !info.Offboarding);
        Assert.Contains("offboard-stale", await registry.ListAsync("offboard-", 100));
    }

    [Fact]
    public async Task MarkOffboarding_TenantAlreadyGone_RegistryForgetsIt()
    {
        // What a crash between the tenant clearing its state and telling the registry leaves behind.
        var grains = fixture.Client;
        var tenant = TenantId.Parse("offboard-ghost");
        var registry = grains.GetGrain<ITenantRegistryGrain>(GrainKeys.Registry);
        await registry.AddAsync(tenant);

        await registry.MarkOffboardingAsync(tenant);

        await Eventually.TrueAsync(async () => !(await registry.ListAsync("offboard-", 100)).Contains("offboard-ghost"));
        Assert.DoesNotContain("offboard-ghost", await registry.ListOffboardingAsync());
    }
}
