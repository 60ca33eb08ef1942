using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

public sealed class TenantRegistryGrain(
    [PersistentState("registry", StorageNames.Scim)] IPersistentState<TenantRegistryState> state) : Grain, ITenantRegistryGrain
{
    public async Task AddAsync(TenantId tenant)
    {
        if (state.State.Tenants.Add(tenant.Value))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(TenantId tenant)
    {
        if (state.State.Tenants.Remove(tenant.Value))
        {
            await state.WriteStateAsync();
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
}
