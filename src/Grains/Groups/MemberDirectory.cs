using System.Text.Json;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;

namespace RfpioGateway.Grains;

/// <summary>
/// Checks that member ids are users of the tenant, and finds each one's name, with one call per user directory
/// shard that holds any of them: a change of k members costs O(k) whatever the tenant's or the group's size.
/// </summary>
internal static class MemberDirectory
{
    public static async Task<ScimResult<List<GroupMember>>> ResolveAsync(IGrainFactory grains, TenantId tenant, int shardCount, IReadOnlyCollection<string> ids)
    {
        var found = new Dictionary<string, string?>(StringComparer.Ordinal);
        var byShard = ids.Where(ResourceIds.IsValid).GroupBy(id => ResourceSummaries.ShardOf(id, shardCount));
        var pages = await Task.WhenAll(byShard.Select(g => UserResource.Type.ShardOf(grains, tenant, g.Key).FindAsync([.. g])));
        foreach (var summary in pages.SelectMany(p => p))
        {
            found[summary.Id] = NameOf(summary.Json);
        }
        var missing = ids.Where(id => !found.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            var shown = string.Join(", ", missing.Take(10).Select(id => $"'{id}'"));
            return ScimError.InvalidValue(missing.Count == 1
                ? $"Member {shown} is not a user of this tenant; nothing was changed."
                : $"{missing.Count} members are not users of this tenant ({shown}{(missing.Count > 10 ? ", …" : "")}); nothing was changed.");
        }
        return ScimResult<List<GroupMember>>.Success([.. ids.Select(id => new GroupMember(id, found[id]))]);
    }

    private static string? NameOf(string summaryJson)
    {
        using var summary = JsonDocument.Parse(summaryJson);
        var root = summary.RootElement;
        return root.TryGetProperty("displayName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()
            : root.TryGetProperty("userName", out var userName) && userName.ValueKind == JsonValueKind.String ? userName.GetString()
            : null;
    }
}
