using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>One uniqueness key; its prefix names the resource type and attribute (<see cref="GrainKeys.Unique"/>).</summary>
[GrainType("uniquekey"), Orleans.Placement.PreferLocalPlacement]
internal sealed class UniqueKeyGrain(
    [PersistentState("key", StorageNames.Scim)] IPersistentState<UniqueKeyState> state) : Grain, IUniqueKeyGrain
{
    public async Task<Reservation> ReserveAsync(string ownerId)
    {
        var owner = state.State.Owner;
        if (owner is not null && owner != ownerId)
        {
            // The holder may have crashed between reserving and writing, or been deleted before releasing: a key
            // belongs to whoever still claims it. The question interleaves at the holder, so this cannot deadlock.
            var key = this.GetPrimaryKeyString();
            var (type, _) = ResourceTypes.OfUniqueKeyPrefix(GrainKeys.ParseUniquePrefix(key));
            var holder = type.GrainOf(GrainFactory, GrainKeys.ParseTenantPrefix(key), owner);
            if (await holder.HoldsKeyAsync(key))
            {
                return new Reservation(false, owner);
            }
        }
        if (owner != ownerId)
        {
            state.State = new UniqueKeyState { Owner = ownerId };
            await state.WriteStateAsync();
        }
        return new Reservation(true, ownerId);
    }

    public async Task ReleaseAsync(string ownerId)
    {
        if (state.State.Owner == ownerId)
        {
            await state.ClearStateAsync();
            state.State = new UniqueKeyState();
        }
    }

    public Task<string?> ResolveAsync() => Task.FromResult(state.State.Owner);
}
