using Microsoft.Extensions.Caching.Memory;
using RfpioGateway.ScimApi.Auth;

namespace RfpioGateway.Silo.Hosting;

/// <summary>
/// The silo's memory cache (token verdicts, userName key hints) removes expired entries only when it is next used,
/// so a silo that falls quiet after serving thousands of tenants would keep every one of them. This sweeps the
/// expired ones out every minute, together with the token and switch changes no cached verdict can predate any more
/// (<see cref="VerdictChanges"/>), and an idle silo holds nothing per tenant.
/// </summary>
internal sealed class CacheSweeper(IMemoryCache cache, VerdictChanges changes, TimeProvider time) : BackgroundService
{
    internal static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Removes expired entries only: compacting by 0% evicts nothing that is still valid.</summary>
    internal void Sweep()
    {
        (cache as MemoryCache)?.Compact(0);
        changes.Sweep();
    }
}
