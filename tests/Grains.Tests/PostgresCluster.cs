using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;
using RfpioGateway.Storage.Events;
using RfpioGateway.Storage.Groups;
using RfpioGateway.Storage.Postgres;

namespace RfpioGateway.Grains.Tests;

/// <summary>A classic TestCluster (real TCP between silos) on PostgreSQL clustering and PostgreSQL grain storage.</summary>
internal static class PostgresCluster
{
    public const string ServiceId = "rfpio-postgres-tests";

    public static async Task<TestCluster> StartAsync(string connectionString, int silos = 3)
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = ServiceId;
        builder.Properties["PostgresConnection"] = connectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        return cluster;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var database = new PostgresDatabase(silo.Configuration["PostgresConnection"]!);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton(database);
            silo.Services.AddSingleton<PostgresSiloTable>();
            silo.Services.AddSingleton<IMembershipTable>(services => services.GetRequiredService<PostgresSiloTable>());
            silo.Services.AddGrainStorage(StorageNames.Scim, (services, name) => new PostgresGrainStorage(
                name, database, services.GetRequiredService<IOptions<ClusterOptions>>().Value, services.GetRequiredService<Serializer>()));
            silo.Services.AddSingleton<IDirectoryStore>(_ => new PostgresDirectoryStore(database, ServiceId));
            silo.Services.AddSingleton<IEventStore>(_ => new PostgresEventStore(database, ServiceId));
            silo.Services.AddSingleton<IMembershipStore>(_ => new PostgresMembershipStore(database, ServiceId));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            client.Services.AddSingleton(new PostgresDatabase(configuration["PostgresConnection"]!));
            client.Services.AddSingleton<PostgresSiloTable>();
            client.Services.AddSingleton<IGatewayListProvider, PostgresGatewayList>();
        }
    }
}
