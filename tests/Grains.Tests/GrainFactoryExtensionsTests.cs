using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class GrainFactoryExtensionsTests(ClusterFixture fixture)
{
    [Fact]
    public void Get_FirstAndLaterCalls_SameReferenceAsGetGrain()
    {
        var grains = fixture.Client;
        foreach (var key in new[] { "refs/0001", "refs/0002", "refs/0003" })
        {
            var expected = (GrainReference)grains.GetGrain<IDirectoryShardGrain>(key);
            var actual = (GrainReference)grains.Get<IDirectoryShardGrain>(key);

            Assert.Equal(expected.GrainId, actual.GrainId);
            Assert.Equal(expected.InterfaceType, actual.InterfaceType);
            Assert.IsAssignableFrom<IDirectoryShardGrain>(actual);
        }
    }

    [Fact]
    public async Task Get_LaterCall_ReachesTheSameActivation()
    {
        var grains = fixture.Client;
        var tenant = await Users.TenantAsync(grains, "refs-tenant");

        var first = await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).GetInfoAsync();
        var second = await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).GetInfoAsync();

        Assert.True(first.Exists);
        Assert.Equal(first, second);
    }
}
