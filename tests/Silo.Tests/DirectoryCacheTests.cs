using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Orleans' directory cache keeps grain addresses after their grains deactivate; the silo bounds it and lets idle
/// entries expire, so an idle silo does not hold addresses of every tenant it served (bench/many-tenants.py).
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class DirectoryCacheTests(SiloServer silo)
{
    [Fact]
    public void GrainDirectoryOptions_Defaults_BoundedAndIdleEntriesExpire()
    {
        var options = silo.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(GrainDirectoryOptions.CachingStrategyType.LRU, options.CachingStrategy);
        Assert.Equal(20_000, options.CacheSize);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaximumCacheTTL);
    }
}
