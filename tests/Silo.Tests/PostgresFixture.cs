using RfpioGateway.Storage.Postgres;
using RfpioGateway.Tests.Shared;

namespace RfpioGateway.Silo.Tests;

/// <summary>A PostgreSQL server of the test class's own, and the stores' database object on it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    internal PostgresDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartAsync();
        Database = new PostgresDatabase(Server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        await Server.DisposeAsync();
    }
}
