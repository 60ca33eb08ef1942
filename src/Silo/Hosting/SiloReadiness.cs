using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RfpioGateway.Silo.Hosting;

/// <summary>Ready while the silo is an active member of its cluster: from the Active lifecycle stage until it stops.</summary>
internal sealed class SiloReadiness : ILifecycleParticipant<ISiloLifecycle>, IHealthCheck
{
    private volatile bool _active;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(SiloReadiness), ServiceLifecycleStage.Active,
            _ =>
            {
                _active = true;
                return Task.CompletedTask;
            },
            _ =>
            {
                _active = false;
                return Task.CompletedTask;
            });
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_active ? HealthCheckResult.Healthy("The silo is active in its cluster.") : HealthCheckResult.Unhealthy("The silo has not joined its cluster, or is leaving it."));
}
