using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using RfpioGateway.Storage.Events;
using RfpioGateway.Storage.Groups;
using RfpioGateway.Storage.Postgres;
using RfpioGateway.Tests.Shared;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// The crash-window cluster on PostgreSQL: the same three silos and fault injection as <see cref="ClusterFixture"/>,
/// with every row in a real PostgreSQL, so a cut operation is repaired from what the database kept.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class PostgresClusterFixture : ClusterFixture
{
    private PostgresServer _server = null!;
    private PostgresDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _database = new PostgresDatabase(_server.ConnectionString);
        await _database.EnsureSchemaAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
        await _server.DisposeAsync();
    }

    protected override void ConfigureStores(IServiceCollection services)
    {
        const string serviceId = "crash-tests";
        services.AddGrainStorage(StorageNames.Scim, (services, name) => new FaultyGrainStorage(services.GetRequiredService<Serializer>(),
            new PostgresGrainStorage(name, _database, new ClusterOptions { ServiceId = serviceId }, services.GetRequiredService<Serializer>())));
        services.AddSingleton<IDirectoryStore>(new FaultyDirectoryStore(new PostgresDirectoryStore(_database, serviceId)));
        services.AddSingleton<IEventStore>(new FaultyEventStore(new PostgresEventStore(_database, serviceId)));
        services.AddSingleton<IMembershipStore>(new FaultyMembershipStore(new PostgresMembershipStore(_database, serviceId)));
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "postgres cluster";
}
