using RfpioGateway.Tests.Shared;

namespace RfpioGateway.Silo.Tests;

/// <summary>A real silo host with <c>Storage:Provider=Postgres</c> on a PostgreSQL of its own.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class PostgresSilo : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public SiloServer Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        Silo = new SiloServer(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N")), "Postgres")
        {
            Settings = [$"Storage:Postgres:ConnectionString={_server.ConnectionString}", "Auth:TokenPepper=postgres-silo-pepper"],
        };
        await Silo.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await _server.DisposeAsync();
    }
}
