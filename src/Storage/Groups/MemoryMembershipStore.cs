using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Storage.Groups;

/// <summary>Memberships in process memory, shared by every silo of the process: for the Memory provider and tests.</summary>
internal sealed class MemoryMembershipStore : IMembershipStore
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Members> ByGroup = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, SortedSet<string>> ByUser = new(StringComparer.Ordinal);

    public Task<long> ApplyAsync(TenantId tenant, string groupId, MembershipDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        lock (Gate)
        {
            var key = Key(tenant, groupId);
            if (!ByGroup.TryGetValue(key, out var members))
            {
                ByGroup[key] = members = new Members();
            }
            if (delta.Clear)
            {
                foreach (var user in members.Ids)
                {
                    GroupsOf(tenant, user).Remove(groupId);
                }
                members.Ids.Clear();
                members.Display.Clear();
            }
            foreach (var user in delta.Remove)
            {
                members.Ids.Remove(user);
                members.Display.Remove(user);
                GroupsOf(tenant, user).Remove(groupId);
            }
            foreach (var member in delta.Add)
            {
                if (members.Ids.Add(member.UserId))
                {
                    members.Display[member.UserId] = member.Display;
                }
                GroupsOf(tenant, member.UserId).Add(groupId);
            }
            if (members.Ids.Count == 0)
            {
                ByGroup.Remove(key);
            }
            return Task.FromResult((long)members.Ids.Count);
        }
    }

    public Task<IReadOnlyList<GroupMember>> ReadMembersAsync(TenantId tenant, string groupId, string? afterUserId, int take)
    {
        lock (Gate)
        {
            if (!ByGroup.TryGetValue(Key(tenant, groupId), out var members))
            {
                return Task.FromResult<IReadOnlyList<GroupMember>>([]);
            }
            // A view from where the page starts, so reading a large group page by page is not quadratic.
            IEnumerable<string> ids = afterUserId is null ? members.Ids
                : string.CompareOrdinal(afterUserId, members.Ids.Max) >= 0 ? []
                : members.Ids.GetViewBetween(afterUserId, members.Ids.Max!).Where(id => id != afterUserId);
            IReadOnlyList<GroupMember> page = [.. ids.Take(take).Select(id => new GroupMember(id, members.Display[id]))];
            return Task.FromResult(page);
        }
    }

    public Task<long> CountAsync(TenantId tenant, string groupId)
    {
        lock (Gate)
        {
            return Task.FromResult(ByGroup.TryGetValue(Key(tenant, groupId), out var members) ? (long)members.Ids.Count : 0);
        }
    }

    public Task<IReadOnlySet<string>> ContainedAsync(TenantId tenant, string groupId, IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        lock (Gate)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (ByGroup.TryGetValue(Key(tenant, groupId), out var members))
            {
                found.UnionWith(userIds.Where(members.Ids.Contains));
            }
            return Task.FromResult<IReadOnlySet<string>>(found);
        }
    }

    public Task<IReadOnlyList<string>> GroupsOfAsync(TenantId tenant, string userId, string? afterGroupId, int take)
    {
        lock (Gate)
        {
            IReadOnlyList<string> groups = ByUser.TryGetValue(Key(tenant, userId), out var set)
                ? [.. set.Where(g => afterGroupId is null || string.CompareOrdinal(g, afterGroupId) > 0).Take(take)]
                : [];
            return Task.FromResult(groups);
        }
    }

    private static string Key(TenantId tenant, string id) => $"{tenant.Value}/{id}";

    private static SortedSet<string> GroupsOf(TenantId tenant, string userId)
    {
        var key = Key(tenant, userId);
        if (!ByUser.TryGetValue(key, out var set))
        {
            ByUser[key] = set = new(StringComparer.Ordinal);
        }
        return set;
    }

    private sealed class Members
    {
        public SortedSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string?> Display { get; } = new(StringComparer.Ordinal);
    }
}
