using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using RfpioGateway.Grains;
using RfpioGateway.Storage.ActivityLog;
using RfpioGateway.Storage.AzureTables;
using RfpioGateway.Storage.Events;
using RfpioGateway.Storage.Groups;
using RfpioGateway.Storage.Memory;
using RfpioGateway.Storage.Postgres;
using RfpioGateway.Storage.Sqlite;

namespace RfpioGateway.Storage;

/// <summary>
/// The one place that decides what stands behind the silo's stores. Each provider registers the same things:
/// clustering, the grain storage every grain uses (<see cref="StorageNames.Scim"/>), the directory store, the
/// activity store, the event store and the membership store.
/// </summary>
public static class StorageRegistration
{
    /// <summary>Reads section <c>Storage</c> and <c>Orleans</c> and registers the configured provider's stores.</summary>
    /// <param name="contentRootPath">What a relative SQLite path is under (src/Silo for a local run), whatever the working directory.</param>
    public static ISiloBuilder AddRfpioStorage(this ISiloBuilder silo, IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = StorageOptions.From(configuration);
        var orleans = configuration.GetSection("Orleans").Get<OrleansSettings>() ?? new OrleansSettings();
        switch (storage.Kind)
        {
            case StorageKind.AzureStorage:
                var tables = storage.AzureStorage;
                if (AzureTableClients.Problem(tables) is { } problem)
                {
                    throw new InvalidOperationException(problem);
                }
                silo.Services.AddSingleton(services => AzureTableClients.Create(tables, services));
                ClusterEndpoints(silo, orleans);
                silo.UseAzureStorageClustering(o => o.Configure<TableServiceClient>((options, client) => options.TableServiceClient = client));
                silo.AddAzureTableGrainStorage(StorageNames.Scim, o => o.Configure<TableServiceClient>((options, client) => options.TableServiceClient = client));
                silo.Services.AddSingleton<IDirectoryStore>(services =>
                    new AzureTableDirectoryStore(services.GetRequiredService<TableServiceClient>(), orleans.ServiceId));
                silo.Services.AddSingleton<IActivityStore>(services =>
                    new AzureTableActivityStore(services.GetRequiredService<TableServiceClient>(), orleans.ServiceId));
                silo.Services.AddSingleton<IEventStore>(services =>
                    new AzureTableEventStore(services.GetRequiredService<TableServiceClient>(), orleans.ServiceId));
                silo.Services.AddSingleton<IMembershipStore>(services =>
                    new AzureTableMembershipStore(services.GetRequiredService<TableServiceClient>(), orleans.ServiceId));
                break;
            case StorageKind.Postgres:
                if (string.IsNullOrWhiteSpace(storage.Postgres.ConnectionString))
                {
                    throw new InvalidOperationException("Storage:Provider is Postgres but Storage:Postgres:ConnectionString is not set.");
                }
                var database = new PostgresDatabase(storage.Postgres.ConnectionString);
                silo.Services.AddSingleton(database);
                ClusterEndpoints(silo, orleans);
                // The membership table brings the schema up to date as the silo starts, before it joins.
                silo.Services.AddSingleton<PostgresSiloTable>();
                silo.Services.AddSingleton<IMembershipTable>(services => services.GetRequiredService<PostgresSiloTable>());
                silo.Services.AddGrainStorage(StorageNames.Scim, (services, name) => new PostgresGrainStorage(
                    name, database, services.GetRequiredService<IOptions<ClusterOptions>>().Value, services.GetRequiredService<Serializer>()));
                silo.Services.AddSingleton<IDirectoryStore>(_ => new PostgresDirectoryStore(database, orleans.ServiceId));
                silo.Services.AddSingleton<IActivityStore>(_ => new PostgresActivityStore(database, orleans.ServiceId));
                silo.Services.AddSingleton<IEventStore>(_ => new PostgresEventStore(database, orleans.ServiceId));
                silo.Services.AddSingleton<IMembershipStore>(_ => new PostgresMembershipStore(database, orleans.ServiceId));
                break;
            case StorageKind.Memory:
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort);
                silo.AddMemoryGrainStorage(StorageNames.Scim);
                silo.Services.AddSingleton<IDirectoryStore, MemoryDirectoryStore>();
                silo.Services.AddSingleton<IActivityStore, MemoryActivityStore>();
                silo.Services.AddSingleton<IEventStore, MemoryEventStore>();
                silo.Services.AddSingleton<IMembershipStore, MemoryMembershipStore>();
                break;
            default:
                // One SQLite file for grain state, directory rows and activity: one node, one file to back up.
                var file = new SqliteFile(storage.SqlitePath(contentRootPath));
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort);
                silo.Services.AddGrainStorage(StorageNames.Scim, (services, name) => new SqliteGrainStorage(
                    name, file, services.GetRequiredService<IOptions<ClusterOptions>>().Value, services.GetRequiredService<Serializer>()));
                silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
                    (SqliteGrainStorage)services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(StorageNames.Scim));
                silo.Services.AddSingleton<IDirectoryStore>(_ => new SqliteDirectoryStore(file, orleans.ServiceId));
                silo.Services.AddSingleton<IActivityStore>(_ => new SqliteActivityStore(file, orleans.ServiceId));
                silo.Services.AddSingleton<IEventStore>(_ => new SqliteEventStore(file, orleans.ServiceId));
                silo.Services.AddSingleton<IMembershipStore>(_ => new SqliteMembershipStore(file, orleans.ServiceId));
                break;
        }
        return silo;
    }

    /// <summary>
    /// A cluster silo's endpoints: the advertised address (loopback when unset) and, in a pod, Orleans' Kubernetes
    /// hosting.
    /// </summary>
    private static void ClusterEndpoints(ISiloBuilder silo, OrleansSettings orleans)
    {
        var address = IPAddress.Parse(orleans.AdvertisedIP ?? "127.0.0.1");
        silo.ConfigureEndpoints(address, orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: orleans.AdvertisedIP is not null);
        if (orleans.Kubernetes)
        {
            silo.UseKubernetesHosting();
        }
    }
}
