using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RfpioGateway.TenantAdmin.Activity;
using RfpioGateway.ScimApi.Auth;
using RfpioGateway.Silo.Hosting;
using RfpioGateway.Storage.ActivityLog;
using RfpioGateway.Storage.Memory;

namespace RfpioGateway.Silo.Tests;

/// <summary>A silo that falls quiet after serving many tenants must not keep anything per tenant.</summary>
public sealed class IdleMemoryTests
{
    [Fact]
    public void Sweep_ExpiredAndLiveEntries_RemovesOnlyTheExpired()
    {
        var time = new ManualTime();
        using var cache = new MemoryCache(new MemoryCacheOptions { Clock = time, SizeLimit = 1000 });
        for (var i = 0; i < 100; i++)
        {
            cache.Set(("verdict", i), i, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10), Size = 1 });
        }
        cache.Set("long-lived", 1, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1), Size = 1 });
        time.Advance(TimeSpan.FromSeconds(30));

        new CacheSweeper(cache, new VerdictChanges(time, Options.Create(new AuthOptions())), time).Sweep();

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGetValue("long-lived", out _));
    }

    [Fact]
    public async Task FlushAsync_NoRecordsAfterTenantsFallQuiet_ForgetsThem()
    {
        var time = new ManualTime();
        var recorder = new ActivityRecorder(new MemoryActivityStore(), Options.Create(new ActivityOptions()), time, NullLogger<ActivityRecorder>.Instance);
        for (var i = 0; i < 50; i++)
        {
            recorder.Record(new ActivityRecord { Tenant = $"quiet{i}", Time = time.Now, Operation = "Users.Get", Outcome = "read", Status = 200, DurationMs = 1 });
        }
        await recorder.FlushAsync();
        Assert.Equal(50, recorder.RememberedTenants);

        time.Advance(TimeSpan.FromMinutes(5));
        await recorder.FlushAsync();

        Assert.Equal(0, recorder.RememberedTenants);
    }
}
