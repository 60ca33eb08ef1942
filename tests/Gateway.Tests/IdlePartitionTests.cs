using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Gateway.RateLimiting;

namespace RfpioGateway.Gateway.Tests;

/// <summary>Measures this process's heap, so it runs with no other test beside it.</summary>
[Collection(HeapMeasurementCollection.Name)]
public sealed class IdlePartitionTests
{
    [Fact]
    public async Task PerTenant_100kIdleTenants_PartitionsAreDropped()
    {
        await using var silo = await Upstream.StartAsync("silo1");
        await using var gateway = await GatewayServer.StartAsync([silo.Address]);
        var limiter = gateway.Services.GetRequiredService<TenantRateLimiter>();
        const int tenants = 100_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < tenants; i++)
        {
            using var lease = limiter.PerTenant.AttemptAcquire(RateLimitTests.ContextFor($"tenant{i}"));
            Assert.True(lease.IsAcquired);
        }
        var peak = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(tenants, limiter.PartitionsCreated);

        // A bucket that has refilled and sat idle is dropped; acquiring for that tenant again builds a new one. Each probe
        // touches another old tenant, because touching one keeps it from ever becoming idle.
        var probe = 0;
        await Eventually.TrueAsync(() =>
        {
            using var lease = limiter.PerTenant.AttemptAcquire(RateLimitTests.ContextFor($"tenant{probe++}"));
            return limiter.PartitionsCreated > tenants;
        }, seconds: 60, because: "idle tenant buckets were never dropped");

        // The rest were created later and go over the next seconds; what they held must go with them.
        await Eventually.TrueAsync(() => GC.GetTotalMemory(forceFullCollection: true) - before < (peak - before) / 4,
            seconds: 60, because: $"the heap grew by {(peak - before) / 1024} KiB with 100k buckets and never gave back three quarters of it");
    }

}
