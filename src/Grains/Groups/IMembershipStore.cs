using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// Group memberships: one row per (group, member), readable both ways (a group's members, a user's groups), with
/// each group's member count kept beside its rows. A change costs what it changes, whatever the group's size. The
/// group's grain is the only writer of its rows.
/// </summary>
public interface IMembershipStore
{
    /// <summary>Applies <paramref name="delta"/> (idempotently) and returns how many members the group has after it.</summary>
    Task<long> ApplyAsync(TenantId tenant, string groupId, MembershipDelta delta);

    /// <summary>Members in user id order, after <paramref name="afterUserId"/> (exclusive), at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<GroupMember>> ReadMembersAsync(TenantId tenant, string groupId, string? afterUserId, int take);

    Task<long> CountAsync(TenantId tenant, string groupId);

    /// <summary>Which of <paramref name="userIds"/> are members of the group.</summary>
    Task<IReadOnlySet<string>> ContainedAsync(TenantId tenant, string groupId, IReadOnlyCollection<string> userIds);

    /// <summary>The groups a user is a member of, in group id order, after <paramref name="afterGroupId"/>, at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<string>> GroupsOfAsync(TenantId tenant, string userId, string? afterGroupId, int take);
}
