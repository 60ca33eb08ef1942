using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

[Orleans.Placement.PreferLocalPlacement]
public sealed class UniqueKeyGrain(
    [PersistentState("key", StorageNames.Scim)] IPersistentState<UniqueKeyState> state) : Grain, IUniqueKeyGrain
{
    public async Task<Reservation> ReserveAsync(string userId, UniqueAttribute attribute)
    {
        var owner = state.State.Owner;
        if (owner is not null && owner != userId)
        {
            // The holder may have crashed between reserving and writing, or been deleted before releasing: a key
            // belongs to whoever still claims it. The question interleaves at the holder, so this cannot deadlock.
            var tenant = GrainKeys.ParseTenantPrefix(this.GetPrimaryKeyString());
            var holder = GrainFactory.Get<IUserGrain>(GrainKeys.User(tenant, owner));
            if (await holder.HoldsKeyAsync(attribute, this.GetPrimaryKeyString()))
            {
                return new Reservation(false, owner);
            }
        }
        if (owner != userId)
        {
            state.State = new UniqueKeyState { Owner = userId };
            await state.WriteStateAsync();
        }
        return new Reservation(true, userId);
    }

    public async Task ReleaseAsync(string userId)
    {
        if (state.State.Owner == userId)
        {
            await state.ClearStateAsync();
            state.State = new UniqueKeyState();
        }
    }

    public Task<string?> ResolveAsync() => Task.FromResult(state.State.Owner);
}
