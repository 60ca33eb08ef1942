using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace RfpioGateway.Grains.Tests;

/// <summary>Three in-process silos sharing <see cref="FaultyGrainStorage"/> and the faulty stores, in memory here.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Client => Cluster.Client;

    public virtual async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(TimeProvider.System);
            silo.AddIncomingGrainCallFilter(GrainCallArrivals.CountAsync);
            ConfigureStores(silo.Services);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Cluster.WaitForLivenessToStabilizeAsync();
    }

    /// <summary>The membership store the silos write, for a test to read what they kept.</summary>
    public IMembershipStore MembershipStore =>
        Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<IMembershipStore>();

    /// <summary>The event store the silos write.</summary>
    public IEventStore EventStore =>
        Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<IEventStore>();

    public virtual async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Grain storage and the stores every silo uses; each write can be failed (<see cref="FaultyGrainStorage.Arm"/>).</summary>
    protected virtual void ConfigureStores(IServiceCollection services)
    {
        services.AddGrainStorage(StorageNames.Scim, (services, _) => new FaultyGrainStorage(services.GetRequiredService<Serializer>()));
        services.AddSingleton<IDirectoryStore>(_ => new FaultyDirectoryStore());
        services.AddSingleton<IEventStore>(_ => new FaultyEventStore());
        services.AddSingleton<IMembershipStore>(_ => new FaultyMembershipStore());
    }

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
