using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// One user: <see cref="ResourceGrain{TState}"/> over <see cref="UserResource.Type"/>, with the crash order written
/// there. The grain type and state name are part of every stored user's row key, so they are pinned here.
/// </summary>
[GrainType("user"), Orleans.Placement.PreferLocalPlacement]
internal sealed class UserGrain(
    [PersistentState("user", StorageNames.Scim)] IPersistentState<UserState> state,
    TimeProvider time,
    IMembershipStore memberships) : ResourceGrain<UserState>(state, time, UserResource.Type), IUserGrain
{
    private const int GroupPage = 500;

    /// <summary>
    /// A deleted user leaves every group it was in, each through the group's grain (its members' only writer). The
    /// tombstone is written first, so a crash midway is finished by the next activation, which asks again; costs
    /// O(the user's groups).
    /// </summary>
    protected override async Task TidyDeletedAsync()
    {
        string? after = null;
        while (true)
        {
            var groups = await memberships.GroupsOfAsync(Tenant, Id, after, GroupPage);
            await Task.WhenAll(groups.Select(g => GrainFactory.Get<IGroupGrain>(GrainKeys.Resource(Tenant, g)).RemoveDeletedMemberAsync(Id)));
            if (groups.Count < GroupPage)
            {
                return;
            }
            after = groups[^1];
        }
    }
}
