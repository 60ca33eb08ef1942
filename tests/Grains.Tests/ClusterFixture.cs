using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace RfpioGateway.Grains.Tests;

/// <summary>Three in-process silos sharing <see cref="FaultyGrainStorage"/>.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddGrainStorage(StorageNames.Scim, (services, _) => new FaultyGrainStorage(services.GetRequiredService<Serializer>()));
            silo.Services.AddSingleton<IDirectoryStore, FaultyDirectoryStore>();
            silo.Services.AddSingleton<IEventStore, FaultyEventStore>();
            silo.Services.AddSingleton<IMembershipStore, FaultyMembershipStore>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Cluster.WaitForLivenessToStabilizeAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>A grain factory inside silo <paramref name="index"/>, so calls start on different silos.</summary>
    public IGrainFactory FromSilo(int index)
    {
        var silos = Cluster.GetActiveSilos().ToList();
        return Cluster.GetSiloServiceProvider(silos[index % silos.Count].SiloAddress).GetRequiredService<IGrainFactory>();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
