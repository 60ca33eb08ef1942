using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// One user: <see cref="ResourceGrain{TState}"/> over <see cref="UserResource.Type"/>, with the crash order written
/// there. The grain type and state name are part of every stored user's row key, so they are pinned here.
/// </summary>
[GrainType("user"), Orleans.Placement.PreferLocalPlacement]
internal sealed class UserGrain(
    [PersistentState("user", StorageNames.Scim)] IPersistentState<UserState> state,
    TimeProvider time) : ResourceGrain<UserState>(state, time, UserResource.Type), IUserGrain;
