using System.Net;
using RfpioGateway.Gateway.LoadBalancing;

namespace RfpioGateway.Gateway.Tests;

public sealed class AffinityTests
{
    private static readonly string[] Tenants = [.. Enumerable.Range(0, 10_000).Select(i => $"tenant{i}")];

    [Fact]
    public void Pick_SameKey_SameNodeEveryTime()
    {
        string[] nodes = ["silo1", "silo2", "silo3"];

        Assert.All(Tenants.Take(100), t => Assert.Equal(RendezvousHash.Pick(t, nodes, n => n), RendezvousHash.Pick(t, [.. nodes], n => n)));
    }

    [Fact]
    public void Pick_ManyKeys_SpreadEvenlyOverNodes()
    {
        string[] nodes = ["silo1", "silo2", "silo3"];

        var counts = Tenants.GroupBy(t => RendezvousHash.Pick(t, nodes, n => n)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 3000, 3667));
    }

    [Fact]
    public void Pick_NodeRemoved_OnlyItsKeysMove()
    {
        string[] three = ["silo1", "silo2", "silo3"];
        string[] two = ["silo1", "silo3"];

        foreach (var tenant in Tenants)
        {
            var before = three[RendezvousHash.Pick(tenant, three, n => n)];
            var after = two[RendezvousHash.Pick(tenant, two, n => n)];
            if (before != "silo2")
            {
                Assert.Equal(before, after);
            }
        }
    }

    [Fact]
    public void Pick_NodeAdded_AboutOneNthMoveAllToTheNewNode()
    {
        string[] three = ["silo1", "silo2", "silo3"];
        string[] four = ["silo1", "silo2", "silo3", "silo4"];

        var moved = Tenants.Where(t => three[RendezvousHash.Pick(t, three, n => n)] != four[RendezvousHash.Pick(t, four, n => n)]).ToList();

        Assert.InRange(moved.Count, 2000, 3000);
        Assert.All(moved, t => Assert.Equal("silo4", four[RendezvousHash.Pick(t, four, n => n)]));
    }

    [Fact]
    public async Task Forward_SameTenant_AlwaysReachesTheSameSilo()
    {
        await using var silo1 = await Upstream.StartAsync("silo1");
        await using var silo2 = await Upstream.StartAsync("silo2");
        await using var silo3 = await Upstream.StartAsync("silo3");
        await using var gateway = await GatewayServer.StartAsync(silo1, silo2, silo3);

        var placement = await PlacementAsync(gateway, Tenants.Take(60), repeats: 5);

        Assert.All(placement.Values, silos => Assert.Single(silos.Distinct()));
        Assert.Equal(3, placement.Values.Select(s => s[0]).Distinct().Count());
    }

    [Fact]
    public async Task Forward_SiloLeaves_OnlyItsTenantsMove()
    {
        await using var silo1 = await Upstream.StartAsync("silo1");
        await using var silo2 = await Upstream.StartAsync("silo2");
        await using var silo3 = await Upstream.StartAsync("silo3");
        await using var gateway = await GatewayServer.StartAsync([silo1.Address, silo2.Address, silo3.Address],
            "ReverseProxy:Clusters:silo:HealthCheck:Active:Interval=00:00:00.200");
        var before = await PlacementAsync(gateway, Tenants.Take(60), repeats: 1);

        silo2.Ready = false;
        await Eventually.TrueAsync(() => gateway.AvailableDestinations() == 2);
        var after = await PlacementAsync(gateway, Tenants.Take(60), repeats: 1);

        Assert.Contains(before, p => p.Value[0] == "silo2");
        foreach (var (tenant, silos) in before)
        {
            if (silos[0] == "silo2")
            {
                Assert.NotEqual("silo2", after[tenant][0]);
            }
            else
            {
                Assert.Equal(silos[0], after[tenant][0]);
            }
        }
    }

    [Fact]
    public async Task Forward_DestinationFailsRepeatedly_IsEjectedAndItsTenantsServedElsewhere()
    {
        await using var alive = await Upstream.StartAsync("silo2");
        var dead = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        await using var gateway = await GatewayServer.StartAsync([dead, alive.Address], "ReverseProxy:Clusters:silo:HealthCheck:Active:Enabled=false");
        string[] ids = ["silo1", "silo2"];
        var tenant = Tenants.First(t => RendezvousHash.Pick(t, ids, n => n) == 0);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await gateway.ScimAsync(tenant)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway], statuses.Take(3));
        Assert.All(statuses.Skip(3), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, gateway.AvailableDestinations());
    }

    private static async Task<Dictionary<string, List<string>>> PlacementAsync(GatewayServer gateway, IEnumerable<string> tenants, int repeats)
    {
        var placement = new Dictionary<string, List<string>>();
        foreach (var tenant in tenants)
        {
            placement[tenant] = [];
            for (var i = 0; i < repeats; i++)
            {
                var echo = await ScimErrorAssert.EchoAsync(await gateway.ScimAsync(tenant));
                placement[tenant].Add(echo.GetProperty("upstream").GetString()!);
            }
        }
        return placement;
    }
}
