using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RfpioGateway.Storage.AzureTables;
using RfpioGateway.Storage.Events;
using RfpioGateway.Storage.Groups;

namespace RfpioGateway.Grains.Tests;

/// <summary>A classic TestCluster (real TCP between silos) on Azure Table clustering and Azure Table grain storage.</summary>
internal static class AzureCluster
{
    public static async Task<TestCluster> StartAsync(string connectionString, int silos = 3)
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = "rfpio-azurite-tests";
        builder.Properties["AzuriteConnection"] = connectionString;
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
            var connection = silo.Configuration["AzuriteConnection"]!;
            silo.Services.AddSingleton(TimeProvider.System);
            silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
            silo.AddAzureTableGrainStorage(StorageNames.Scim, o => o.TableServiceClient = new TableServiceClient(connection));
            silo.Services.AddSingleton<IDirectoryStore>(_ => new AzureTableDirectoryStore(new TableServiceClient(connection), "rfpio-azurite-tests"));
            silo.Services.AddSingleton<IEventStore>(_ => new AzureTableEventStore(new TableServiceClient(connection), "rfpio-azurite-tests"));
            silo.Services.AddSingleton<IMembershipStore>(_ => new AzureTableMembershipStore(new TableServiceClient(connection), "rfpio-azurite-tests"));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(configuration["AzuriteConnection"]));
    }
}
