using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Grains;

/// <summary>
/// Answers list and search requests for any resource type: the query planner over its indexes and directory shards.
/// Cost bounds, whatever the tenant's size:
/// <list type="bullet">
/// <item><c>id eq</c> or an <c>eq</c> on a unique attribute (users' <c>userName</c>, groups' <c>displayName</c>), alone or
/// in an <c>and</c>: at most three grain calls.</item>
/// <item>An <c>eq</c> on a value index (<c>externalId</c>, not unique): one call per shard, then the page's holders.</item>
/// <item>Any other filter on summary attributes, or none: one count per shard, then reads until the page is full:
/// O(shards + count) calls; each shard evaluates over its own resources (resources ÷ shards).</item>
/// <item>Groups by a member (<c>members[value eq "…"]</c> or <c>members.value eq "…"</c>, Entra's and Okta's "which
/// groups hold this user"): the user's row of the membership index, then one call per group: O(that user's groups).</item>
/// <item>Any other filter, on any attribute of the schema (summaries hold the whole document): every shard evaluates
/// its summaries, about a microsecond of CPU per resource (docs/benchmarks.md). Only a user's <c>groups</c> and a
/// group's <c>members</c> (other than the by-member form) are refused with 400 <c>invalidFilter</c>.</item>
/// <item><c>sortBy</c> on any attribute but those: sorts all matches, so it is refused above <see cref="MaxSortable"/> matches.</item>
/// </list>
/// Pages are stable while nothing changes: shard by shard, and by id inside a shard.
/// </summary>
public sealed class ResourceDirectory(IGrainFactory grains, IMemoryCache cache, IMembershipStore memberships)
{
    /// <summary>The most groups a by-member filter answers for one user (far above any IdP's group counts).</summary>
    public const int MaxGroupsOfMember = 10_000;

    // Which resource held a key when this silo last asked. Only a hint: every use is checked against the resource
    // itself, and a miss asks the key again, so a stale entry costs one call and never a wrong answer.
    private static readonly TimeSpan KeyHintLifetime = TimeSpan.FromSeconds(30);

    public const int MaxSortable = 10_000;

    public async Task<ScimResult<ResourcePage>> SearchAsync(ResourceType type, TenantId tenant, SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Filter is { } filter)
        {
            if (type == GroupResource.Type && MemberOf(filter) is { } userId)
            {
                return await GroupsOfAsync(tenant, userId, request);
            }
            var plan = FilterPlanner.Plan(filter, type.Schema, type.Indexes);
            if (plan.Lookup is { } valueLookup && type.ValueIndexes.Contains(valueLookup.Attribute))
            {
                return await ValueLookupAsync(type, tenant, valueLookup, filter, request);
            }
            if (plan.Lookup is { } lookup)
            {
                var hit = await LookupAsync(type, tenant, lookup, filter);
                IReadOnlyList<ListedResource> page = hit is null || request.StartIndex > 1 || request.Count == 0 ? [] : [hit];
                return ScimResult<ResourcePage>.Success(new ResourcePage(hit is null ? 0 : 1, page));
            }
            if (!ResourceSummaries.CanAnswer(type, filter, out var missing))
            {
                return DerivedFilter(type, missing!);
            }
        }
        if (request.Sort is { } sort && ResourceSummaries.IsDerived(type, sort.Path))
        {
            return ScimError.InvalidValue($"sortBy '{sort.AttributeName}' is not supported: it is read from the membership store, not kept with the {type.Name.ToLowerInvariant()}.");
        }

        var shardCount = await TenantShards.OfAsync(grains, tenant);
        var shards = Enumerable.Range(0, shardCount)
            .Select(i => type.ShardOf(grains, tenant, i)).ToArray();
        if (request.Filter is not null || request.Sort is not null)
        {
            await EnsureCurrentAsync(type, tenant, shards);
        }
        var filterText = request.Filter?.ToString();
        var counts = await Task.WhenAll(shards.Select(s => s.CountAsync(filterText)));
        var total = counts.Sum();

        List<string> ids;
        if (request.Sort is { } order)
        {
            if (total > MaxSortable)
            {
                return ScimError.TooMany($"sortBy over {total} resources is refused (limit {MaxSortable}); narrow the filter or page without sortBy.");
            }
            var all = await Task.WhenAll(shards.Select(s => s.ReadAsync(filterText, 0, int.MaxValue)));
            ids = [.. all.SelectMany(p => p.Resources)
                .Select(u => (u.Id, Element: JsonSerializer.Deserialize<JsonElement>(u.Json)))
                .OrderBy(u => u.Element, order)
                .ThenBy(u => u.Id, StringComparer.Ordinal)
                .Skip(request.StartIndex - 1).Take(request.Count)
                .Select(u => u.Id)];
        }
        else
        {
            ids = await PageAsync(shards, counts, filterText, request.StartIndex - 1, request.Count);
        }

        var result = await LoadAsync(type, tenant, shards, ids);
        return ScimResult<ResourcePage>.Success(new ResourcePage(total - (ids.Count - result.Count), result));
    }

    /// <summary>
    /// One page of a cursor walk (RFC 9865), from <paramref name="from"/> (the start when null): reads only from that
    /// position on, one shard after another, so a page deep into a 100,000-user tenant costs what the first does.
    /// </summary>
    public async Task<ScimResult<CursorPage>> WalkAsync(ResourceType type, TenantId tenant, SearchRequest request, CursorPosition? from, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(request);
        if (from is not null && !ResourceIds.IsValid(from.AfterId))
        {
            return ScimError.InvalidCursor("The cursor does not name a position of this listing.");
        }
        if (request.Filter is { } filter)
        {
            if ((type == GroupResource.Type && MemberOf(filter) is not null) || FilterPlanner.Plan(filter, type.Schema, type.Indexes).Lookup is not null)
            {
                // Bounded answers (one resource, or one user's groups): read whole, then cut at the cursor by id.
                var whole = await SearchAsync(type, tenant, request with { StartIndex = 1, Count = MaxGroupsOfMember, Cursor = null });
                if (!whole.TryGetValue(out var all, out var error))
                {
                    return error;
                }
                var after = all.Resources.Where(r => from is null || string.CompareOrdinal(r.Snapshot.Id, from.AfterId) > 0)
                    .OrderBy(r => r.Snapshot.Id, StringComparer.Ordinal).ToList();
                var page = after.Take(request.Count).ToList();
                var next = after.Count > request.Count ? new CursorPosition(0, 0, page[^1].Snapshot.Id, now) : null;
                return ScimResult<CursorPage>.Success(new CursorPage(all.Total, page, next));
            }
            if (!ResourceSummaries.CanAnswer(type, filter, out var missing))
            {
                return DerivedFilter(type, missing!);
            }
        }
        var shardCount = await TenantShards.OfAsync(grains, tenant);
        if (from is not null && (from.ShardCount != shardCount || from.Shard >= shardCount))
        {
            return ScimError.InvalidCursor("The cursor does not name a position of this listing.");
        }
        var shards = Enumerable.Range(0, shardCount).Select(i => type.ShardOf(grains, tenant, i)).ToArray();
        if (request.Filter is not null)
        {
            await EnsureCurrentAsync(type, tenant, shards);
        }
        var filterText = request.Filter?.ToString();

        // One more than the page, so the last page is known to be the last and never followed by an empty one.
        var found = new List<(int Shard, string Id)>(request.Count + 1);
        for (var shard = from?.Shard ?? 0; shard < shards.Length && found.Count <= request.Count; shard++)
        {
            var after = from is not null && shard == from.Shard ? from.AfterId : null;
            var read = await shards[shard].ReadAfterAsync(filterText, after, request.Count + 1 - found.Count);
            found.AddRange(read.Resources.Select(r => (shard, r.Id)));
        }
        var onPage = found.Take(request.Count).ToList();
        var nextPosition = found.Count > request.Count ? new CursorPosition(shardCount, onPage[^1].Shard, onPage[^1].Id, now) : null;

        var resources = await LoadAsync(type, tenant, shards, [.. onPage.Select(f => f.Id)]);
        int? total = null;
        if (request.Filter is null)
        {
            total = (await Task.WhenAll(shards.Select(s => s.CountAsync(null)))).Sum();
        }
        return ScimResult<CursorPage>.Success(new CursorPage(total, resources, nextPosition));
    }

    /// <summary>
    /// An <c>eq</c> on a value index (externalId): every shard's map gives the holders, so the cost is one call per
    /// shard whatever the tenant's size. A bare <c>externalId eq</c> loads only the page; with more terms or a sort,
    /// every holder is loaded and checked, so that is refused above <see cref="MaxSortable"/> holders.
    /// </summary>
    private async Task<ScimResult<ResourcePage>> ValueLookupAsync(ResourceType type, TenantId tenant, IndexLookup lookup, FilterNode filter, SearchRequest request)
    {
        var shardCount = await TenantShards.OfAsync(grains, tenant);
        var found = await Task.WhenAll(Enumerable.Range(0, shardCount).Select(i => type.ShardOf(grains, tenant, i).FindByAsync(lookup.Attribute, lookup.Value)));
        var ids = found.SelectMany(f => f).ToList();
        var bare = filter is ComparisonFilter && request.Sort is null;
        if (!bare && ids.Count > MaxSortable)
        {
            return ScimError.TooMany($"{ids.Count} resources have {lookup.Attribute} '{lookup.Value}'; narrow the filter to that attribute alone (paged), or below {MaxSortable} holders.");
        }
        var wanted = bare ? ids.Skip(request.StartIndex - 1).Take(request.Count).ToList() : ids;
        var loaded = await Task.WhenAll(wanted.Select(id => type.GrainOf(grains, tenant, id).GetAsync()));
        var matches = new List<ListedResource>(loaded.Length);
        foreach (var resource in loaded.OfType<ResourceSnapshot>())
        {
            var document = ScimDocument.Load(type.Schema, resource.Document);
            // The shard's map follows the resource's write by one call: check the holder against what it is now.
            if (!string.Equals(ResourceType.ValueOf(document, lookup.Attribute), lookup.Value, StringComparison.Ordinal))
            {
                continue;
            }
            if (bare || FilterEvaluator.MatchesValidated(filter, Rendered(resource, document), type.Schema))
            {
                matches.Add(new ListedResource(resource, document));
            }
        }
        if (bare)
        {
            return ScimResult<ResourcePage>.Success(new ResourcePage(ids.Count - (wanted.Count - matches.Count), matches));
        }
        IEnumerable<ListedResource> ordered = matches;
        if (request.Sort is { } order)
        {
            ordered = matches.OrderBy(m => Rendered(m.Snapshot, m.Document), order).ThenBy(m => m.Snapshot.Id, StringComparer.Ordinal);
        }
        return ScimResult<ResourcePage>.Success(new ResourcePage(matches.Count, [.. ordered.Skip(request.StartIndex - 1).Take(request.Count)]));
    }

    private static JsonElement Rendered(ResourceSnapshot resource, ScimDocument document) => JsonSerializer.Deserialize<JsonElement>(
        ResourceRenderer.Render(document, new ResourceMeta(resource.Id, resource.Created, resource.LastModified, resource.Version, null)));

    private static ScimError DerivedFilter(ResourceType type, string path) => ScimError.InvalidFilter(type == GroupResource.Type
        ? $"Filtering on '{path}' is not supported: members are filtered only as members[value eq \"<userId>\"] (or members.value eq)."
        : $"Filtering on '{path}' is not supported: a user's groups are read from the membership store; ask /Groups?filter=members[value eq \"<userId>\"] instead.");

    /// <summary>
    /// Re-renders summaries an earlier revision wrote in a narrower shape, so a filter or sort on any attribute sees
    /// every resource. Once per tenant and type after an upgrade it reads each such resource (one grain call each);
    /// after that a shard answers with nothing to do, and this silo remembers for a while not to ask.
    /// </summary>
    private async Task EnsureCurrentAsync(ResourceType type, TenantId tenant, IDirectoryShardGrain[] shards)
    {
        var key = ("summaries-current", type.Name, tenant.Value);
        if (cache.TryGetValue(key, out _))
        {
            return;
        }
        while (true)
        {
            var stale = await Task.WhenAll(shards.Select(s => s.StaleAsync(500)));
            if (stale.All(s => s.Count == 0))
            {
                break;
            }
            await Task.WhenAll(stale.Select(async (summaries, shard) =>
            {
                foreach (var summary in summaries)
                {
                    var resource = await type.GrainOf(grains, tenant, summary.Id).GetAsync();
                    var current = resource is null ? null : new ResourceSummary(summary.Id, ResourceSummaries.Render(type, resource));
                    await shards[shard].RefreshAsync(summary, current);
                }
            }));
        }
        cache.Set(key, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10), Size = 1 });
    }

    /// <summary>The resources a page of summaries names, in order; a summary whose resource is gone is dropped from it.</summary>
    private async Task<List<ListedResource>> LoadAsync(ResourceType type, TenantId tenant, IDirectoryShardGrain[] shards, List<string> ids)
    {
        var found = await Task.WhenAll(ids.Select(id => type.GrainOf(grains, tenant, id).GetAsync()));
        var result = new List<ListedResource>(found.Length);
        for (var i = 0; i < found.Length; i++)
        {
            if (found[i] is { } resource)
            {
                result.Add(new ListedResource(resource, ScimDocument.Load(type.Schema, resource.Document)));
            }
            else
            {
                // A summary left by a delete that crashed midway: drop it now (see ResourceGrain).
                await shards[ResourceSummaries.ShardOf(ids[i], shards.Length)].RemoveAsync(ids[i]);
            }
        }
        return result;
    }

    private async Task<ScimResult<ResourcePage>> GroupsOfAsync(TenantId tenant, string userId, SearchRequest request)
    {
        var ids = ResourceIds.IsValid(userId) ? await memberships.GroupsOfAsync(tenant, userId, null, MaxGroupsOfMember + 1) : [];
        if (ids.Count > MaxGroupsOfMember)
        {
            return ScimError.TooMany($"The user is a member of more than {MaxGroupsOfMember} groups; list groups without the member filter.");
        }
        var found = (await Task.WhenAll(ids.Select(id => GroupResource.Type.GrainOf(grains, tenant, id).GetAsync()))).OfType<ResourceSnapshot>()
            .Select(g => new ListedResource(g, ScimDocument.Load(GroupResource.Type.Schema, g.Document)));
        if (request.Sort is { } order)
        {
            found = found.OrderBy(g => JsonSerializer.Deserialize<JsonElement>(ResourceSummaries.Render(GroupResource.Type, g.Snapshot)), order)
                .ThenBy(g => g.Snapshot.Id, StringComparer.Ordinal);
        }
        var all = found.ToList();
        return ScimResult<ResourcePage>.Success(new ResourcePage(all.Count, [.. all.Skip(request.StartIndex - 1).Take(request.Count)]));
    }

    /// <summary>The user id of a by-member filter (<c>members[value eq "x"]</c>, <c>members.value eq "x"</c>), or null.</summary>
    private static string? MemberOf(FilterNode filter) => filter switch
    {
        ComparisonFilter { Operator: ComparisonOperator.Equal, Value.Kind: FilterValueKind.String, Path: { Name: var name, SubAttribute: var sub } } c
            when IsMembers(name) && string.Equals(sub, "value", StringComparison.OrdinalIgnoreCase) => c.Value.Text,
        ValuePathFilter { Path: { Name: var name, SubAttribute: null }, Filter: ComparisonFilter { Operator: ComparisonOperator.Equal, Value.Kind: FilterValueKind.String, Path: { SubAttribute: null } inner } c }
            when IsMembers(name) && inner.Name.Equals("value", StringComparison.OrdinalIgnoreCase) => c.Value.Text,
        _ => null,
    };

    private static bool IsMembers(string name) => name.Equals("members", StringComparison.OrdinalIgnoreCase);

    private static async Task<List<string>> PageAsync(IDirectoryShardGrain[] shards, int[] counts, string? filter, int skip, int take)
    {
        var ids = new List<string>(Math.Min(take, 1000));
        for (var i = 0; i < shards.Length && ids.Count < take; i++)
        {
            if (skip >= counts[i])
            {
                skip -= counts[i];
                continue;
            }
            var page = await shards[i].ReadAsync(filter, skip, take - ids.Count);
            ids.AddRange(page.Resources.Select(u => u.Id));
            skip = 0;
        }
        return ids;
    }

    private async Task<ListedResource?> LookupAsync(ResourceType type, TenantId tenant, IndexLookup lookup, FilterNode filter)
    {
        if (lookup.Attribute == "id")
        {
            return ResourceIds.IsValid(lookup.Value) ? await CheckAsync(type, tenant, null, lookup, filter, lookup.Value) : null;
        }
        var attribute = type.UniqueAttributes.First(a => a.Name == lookup.Attribute);
        var key = GrainKeys.Unique(tenant, attribute, lookup.Value);
        if (cache.TryGetValue(("key-hint", key), out string? hinted) && await CheckAsync(type, tenant, attribute, lookup, filter, hinted!) is { } hit)
        {
            return hit;
        }
        var id = await grains.Get<IUniqueKeyGrain>(key).ResolveAsync();
        if (!ResourceIds.IsValid(id))
        {
            return null;
        }
        var found = await CheckAsync(type, tenant, attribute, lookup, filter, id);
        if (found is not null)
        {
            cache.Set(("key-hint", key), id, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KeyHintLifetime, Size = 1 });
        }
        return found;
    }

    /// <summary>The resource with this id, if it exists and satisfies the whole filter.</summary>
    /// <param name="attribute">The unique attribute looked up, or null for an <c>id</c> lookup.</param>
    private async Task<ListedResource?> CheckAsync(ResourceType type, TenantId tenant, UniqueAttribute? attribute, IndexLookup lookup, FilterNode filter, string id)
    {
        var resource = await type.GrainOf(grains, tenant, id).GetAsync();
        if (resource is null)
        {
            return null;
        }
        var document = ScimDocument.Load(type.Schema, resource.Document);
        if (filter is ComparisonFilter)
        {
            // The filter is the lookup itself (Entra's probe and match query): only check that the key's holder
            // still has the value, since a key may name a resource that has moved on.
            var matches = attribute is null || string.Equals(ResourceType.ValueOf(document, attribute.Name), lookup.Value,
                attribute.CaseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
            return matches ? new ListedResource(resource, document) : null;
        }
        var rendered = JsonSerializer.Deserialize<JsonElement>(
            ResourceRenderer.Render(document, new ResourceMeta(resource.Id, resource.Created, resource.LastModified, resource.Version, null)));
        return FilterEvaluator.MatchesValidated(filter, rendered, type.Schema) ? new ListedResource(resource, document) : null;
    }
}
