using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RfpioGateway.Grains;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Silo.Tests;

/// <summary>User and key grains are collected sooner than the rest, within the bounds Orleans accepts.</summary>
public sealed class CollectionAgeTests
{
    [Theory]
    [InlineData(null, null, 120)]          // defaults: 2 minutes, under Orleans' 15
    [InlineData("00:00:20", null, 20)]     // never longer than every other grain's age
    [InlineData(null, "00:05:00", 300)]    // an operator's choice
    [InlineData(null, "00:00:10", 60)]     // never shorter than Orleans' one-minute sweep
    public async Task Build_CollectionAges_UserAndKeyGrainsGetTheBoundedAge(string? grainAge, string? userAge, int expectedSeconds)
    {
        string[] settings =
        [
            .. grainAge is null ? Array.Empty<string>() : [$"--Orleans:GrainCollectionAge={grainAge}"],
            .. userAge is null ? Array.Empty<string>() : [$"--Orleans:UserGrainCollectionAge={userAge}"],
        ];
        await using var app = SiloHost.Build(["--Storage:Provider=Memory", "--Admin:ApiKey=k", "--Auth:TokenPepper=p", .. settings],
            builder => builder.Environment.ContentRootPath = AppContext.BaseDirectory);

        var options = app.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), options.ClassSpecificCollectionAge[typeof(UserGrain).FullName!]);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), options.ClassSpecificCollectionAge[typeof(UniqueKeyGrain).FullName!]);
        Assert.False(options.ClassSpecificCollectionAge.ContainsKey(typeof(DirectoryShardGrain).FullName!));
    }
}
