using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;

namespace RfpioGateway.Storage.Postgres;

/// <summary>For an Orleans client of a PostgreSQL cluster: the gateways of the silos the silo table lists as active.</summary>
internal sealed class PostgresGatewayList(PostgresSiloTable silos, IOptions<GatewayOptions> gateways) : IGatewayListProvider
{
    public TimeSpan MaxStaleness => gateways.Value.GatewayListRefreshPeriod;

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        var table = await silos.ReadAll();
        return [.. table.Members
            .Select(member => member.Item1)
            .Where(entry => entry.Status == SiloStatus.Active && entry.ProxyPort != 0)
            .Select(entry => SiloAddress.New(entry.SiloAddress.Endpoint.Address, entry.ProxyPort, entry.SiloAddress.Generation).ToGatewayUri())];
    }
}
