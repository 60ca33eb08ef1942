using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Groups;

namespace RfpioGateway.Grains.Tests;

/// <summary>The membership store (in memory unless given another), with its changes counted and failed like grain-state writes.</summary>
public sealed class FaultyMembershipStore(IMembershipStore inner) : IMembershipStore
{
    private readonly IMembershipStore _inner = inner;

    public FaultyMembershipStore() : this(new MemoryMembershipStore())
    {
    }

    public Task<long> ApplyAsync(TenantId tenant, string groupId, MembershipDelta delta)
    {
        FaultyGrainStorage.MaybeFail(tenant.Value, $"members of group {groupId} of {tenant.Value}", "write");
        return _inner.ApplyAsync(tenant, groupId, delta);
    }

    public Task<IReadOnlyList<GroupMember>> ReadMembersAsync(TenantId tenant, string groupId, string? afterUserId, int take) =>
        _inner.ReadMembersAsync(tenant, groupId, afterUserId, take);

    public Task<long> CountAsync(TenantId tenant, string groupId) => _inner.CountAsync(tenant, groupId);

    public Task<IReadOnlySet<string>> ContainedAsync(TenantId tenant, string groupId, IReadOnlyCollection<string> userIds) =>
        _inner.ContainedAsync(tenant, groupId, userIds);

    public Task<IReadOnlyList<string>> GroupsOfAsync(TenantId tenant, string userId, string? afterGroupId, int take) =>
        _inner.GroupsOfAsync(tenant, userId, afterGroupId, take);
}
