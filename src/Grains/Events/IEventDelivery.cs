using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>Pushes one event to a stream's receiver (RFC 8935); the host implements it (signing, HTTP, address checks).</summary>
public interface IEventDelivery
{
    Task<PushOutcome> PushAsync(TenantId tenant, EventStreamConfig config, ChangeEvent change, CancellationToken cancellationToken);
}
