using RfpioGateway.Silo.Hosting;
using RfpioGateway.Storage;
using RfpioGateway.Storage.AzureTables;

namespace RfpioGateway.Silo.Tests;

public sealed class AzureTablesTests
{
    [Fact]
    public void Problem_NeitherConnectionStringNorUri_NamesBothSettings()
    {
        var problem = AzureTableClients.Problem(new StorageOptions.AzureStorageSettings());

        Assert.NotNull(problem);
        Assert.Contains("Storage:AzureStorage:ConnectionString", problem, StringComparison.Ordinal);
        Assert.Contains("Storage:AzureStorage:TableServiceUri", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_BothConnectionStringAndUri_AsksForOne()
    {
        var problem = AzureTableClients.Problem(new StorageOptions.AzureStorageSettings
        {
            ConnectionString = "UseDevelopmentStorage=true",
            TableServiceUri = new Uri("https://account.table.core.windows.net/"),
        });

        Assert.NotNull(problem);
        Assert.Contains("only one", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_RelativeUri_IsReported()
    {
        var problem = AzureTableClients.Problem(new StorageOptions.AzureStorageSettings { TableServiceUri = new Uri("account", UriKind.Relative) });

        Assert.NotNull(problem);
        Assert.Contains("absolute", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", null)]
    [InlineData(null, "https://account.table.core.windows.net/")]
    public void Problem_ExactlyOneWay_IsNone(string? connectionString, string? uri)
    {
        var settings = new StorageOptions.AzureStorageSettings { ConnectionString = connectionString, TableServiceUri = uri is null ? null : new Uri(uri) };

        Assert.Null(AzureTableClients.Problem(settings));
    }

    [Fact]
    public void Build_AzureStorageWithoutAccess_FailsWithTheProblem()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => SiloHost.Build(
            ["--Storage:Provider=AzureStorage", "--Auth:TokenPepper=p", "--Admin:ApiKey=k"],
            builder => builder.Environment.ContentRootPath = AppContext.BaseDirectory));

        Assert.Contains("Storage:AzureStorage:TableServiceUri", failure.Message, StringComparison.Ordinal);
    }
}
