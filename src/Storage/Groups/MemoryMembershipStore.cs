using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Storage.Groups;

/// <summary>Memberships in process memory, shared by every silo of the process: for the Memory provider and tests.</summary>
internal sealed class MemoryMembershipStore : IMembershipStore
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, SortedDictionary<string, string?>> ByGroup = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, SortedSet<string>> ByUser = new(StringComparer.Ordinal);

    public Task<long> ApplyAsync(TenantId tenant, string groupId, MembershipDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        lock (Gate)
        {
            var rows = Rows(tenant, groupId);
            if (delta.Clear)
            {
                foreach (var user in rows.Keys)
                {
                    Groups(tenant, user).Remove(groupId);
                }
                rows.Clear();
            }
            foreach (var user in delta.Remove)
            {
                rows.Remove(user);
                Groups(tenant, user).Remove(groupId);
            }
            foreach (var member in delta.Add)
            {
                rows.TryAdd(member.UserId, member.Display);
                Groups(tenant, member.UserId).Add(groupId);
            }
            if (rows.Count == 0)
            {
                ByGroup.Remove(Key(tenant, groupId));
            }
            return Task.FromResult((long)rows.Count);
        }
    }

    public Task<IReadOnlyList<GroupMember>> ReadMembersAsync(TenantId tenant, string groupId, string? afterUserId, int take)
    {
        lock (Gate)
        {
            IReadOnlyList<GroupMember> page = ByGroup.TryGetValue(Key(tenant, groupId), out var rows)
                ? [.. rows.Where(r => afterUserId is null || string.CompareOrdinal(r.Key, afterUserId) > 0).Take(take).Select(r => new GroupMember(r.Key, r.Value))]
                : [];
            return Task.FromResult(page);
        }
    }

    public Task<long> CountAsync(TenantId tenant, string groupId)
    {
        lock (Gate)
        {
            return Task.FromResult(ByGroup.TryGetValue(Key(tenant, groupId), out var rows) ? (long)rows.Count : 0);
        }
    }

    public Task<IReadOnlySet<string>> ContainedAsync(TenantId tenant, string groupId, IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        lock (Gate)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (ByGroup.TryGetValue(Key(tenant, groupId), out var rows))
            {
                found.UnionWith(userIds.Where(rows.ContainsKey));
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

    private static SortedDictionary<string, string?> Rows(TenantId tenant, string groupId)
    {
        var key = Key(tenant, groupId);
        if (!ByGroup.TryGetValue(key, out var rows))
        {
            ByGroup[key] = rows = new(StringComparer.Ordinal);
        }
        return rows;
    }

    private static SortedSet<string> Groups(TenantId tenant, string userId)
    {
        var key = Key(tenant, userId);
        if (!ByUser.TryGetValue(key, out var set))
        {
            ByUser[key] = set = new(StringComparer.Ordinal);
        }
        return set;
    }
}
