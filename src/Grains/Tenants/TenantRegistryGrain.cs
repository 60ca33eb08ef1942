using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

internal sealed class TenantRegistryGrain(
    [PersistentState("registry", StorageNames.Scim)] IPersistentState<TenantRegistryState> state,
    IOptions<OffboardingOptions> options,
    ILogger<TenantRegistryGrain> logger) : Grain, ITenantRegistryGrain
{
    private IGrainTimer? _resume;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        WatchOffboardings();
        return Task.CompletedTask;
    }

    public async Task AddAsync(TenantId tenant)
    {
        var added = state.State.Tenants.Add(tenant.Value);
        // The tenant is being created, so a mark left by an earlier tenant of this name is stale.
        var unmarked = state.State.Offboarding.Remove(tenant.Value);
        if (added || unmarked)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(TenantId tenant)
    {
        if (state.State.Tenants.Remove(tenant.Value) | state.State.Offboarding.Remove(tenant.Value) | (state.State.WithStreams?.Remove(tenant.Value) ?? false))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task MarkOffboardingAsync(TenantId tenant)
    {
        if (state.State.Offboarding.Add(tenant.Value))
        {
            await state.WriteStateAsync();
        }
        WatchOffboardings();
    }

    public async Task SetHasStreamsAsync(TenantId tenant, bool hasStreams)
    {
        // An older state has no set (null once read back); start one.
        var tenants = state.State.WithStreams ?? new SortedSet<string>(StringComparer.Ordinal);
        if (hasStreams ? tenants.Add(tenant.Value) : tenants.Remove(tenant.Value))
        {
            state.State = state.State with { WithStreams = tenants };
            await state.WriteStateAsync();
        }
    }

    public async Task WakeAsync()
    {
        // One-way notifications: a stream that is behind starts pushing on its own timer; none of them holds this call.
        foreach (var tenant in (state.State.WithStreams ?? []).ToList())
        {
            try
            {
                var streams = await GrainFactory.Get<ITenantGrain>(tenant).GetStreamsAsync();
                foreach (var stream in streams)
                {
                    await GrainFactory.Get<IEventStreamGrain>(GrainKeys.Stream(TenantId.Parse(tenant), stream)).NotifyAsync();
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                logger.LogWarning(e, "Could not wake the event streams of tenant {Tenant}; its next change will.", tenant);
            }
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string? after, int count)
    {
        IEnumerable<string> tenants = state.State.Tenants;
        if (after is not null)
        {
            tenants = state.State.Tenants.GetViewBetween(after, state.State.Tenants.Max ?? after).Where(t => string.CompareOrdinal(t, after) > 0);
        }
        return Task.FromResult<IReadOnlyList<string>>([.. tenants.Take(count)]);
    }

    public Task<IReadOnlyList<string>> ListOffboardingAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Offboarding]);

    private void WatchOffboardings()
    {
        if (state.State.Offboarding.Count == 0)
        {
            return;
        }
        if (_resume is not null)
        {
            // A new mark is looked at now, not a whole interval later because another offboarding keeps the timer.
            _resume.Change(TimeSpan.Zero, options.Value.ResumeInterval);
            return;
        }
        // KeepAlive: the registry must outlive idle collection while there is an offboarding to finish.
        _resume = this.RegisterGrainTimer(ResumeOffboardingsAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.ResumeInterval) { KeepAlive = true });
    }

    private async Task ResumeOffboardingsAsync()
    {
        var changed = false;
        foreach (var name in state.State.Offboarding.ToList())
        {
            TenantInfo info;
            try
            {
                info = await GrainFactory.Get<ITenantGrain>(GrainKeys.Tenant(TenantId.Parse(name))).ResumeOffboardingAsync();
            }
            catch (Exception error) when (error is TimeoutException or OrleansException)
            {
                // A silo in trouble must not hold up the other tenants; the next tick tries again.
                logger.LogWarning(error, "Could not wake the offboarding of tenant {Tenant}; retrying in {Interval}", name, options.Value.ResumeInterval);
                continue;
            }
            if (!info.Offboarding)
            {
                // Finished, or the mark was written and the tenant's own write was lost in a crash.
                changed |= state.State.Offboarding.Remove(name);
            }
            if (!info.Exists)
            {
                // The tenant cleared its state and stopped before it could tell the registry.
                changed |= state.State.Tenants.Remove(name);
            }
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
        if (state.State.Offboarding.Count == 0)
        {
            _resume?.Dispose();
            _resume = null;
        }
    }
}
