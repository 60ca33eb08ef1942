using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Silo.Hosting;

/// <summary>
/// Activates the tenant registry when a silo starts, so offboardings that a restart interrupted carry on by
/// themselves instead of waiting for someone to touch the tenant.
/// </summary>
internal sealed class OffboardingWakeUp(IGrainFactory grains, ILogger<OffboardingWakeUp> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        try
        {
            await grains.Get<ITenantRegistryGrain>(GrainKeys.Registry).WakeAsync();
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            // Storage being away must not stop the silo from starting: the registry also wakes when it is next used.
            logger.LogWarning(error, "Could not wake the tenant registry at start-up; unfinished offboardings resume when it is next used");
        }
    }
}
