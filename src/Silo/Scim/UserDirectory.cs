using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Silo.Scim;

/// <summary>
/// Answers list and search requests. Cost bounds, whatever the tenant's size:
/// <list type="bullet">
/// <item><c>id eq</c>, <c>userName eq</c>, <c>externalId eq</c> (alone or in an <c>and</c>): at most three grain calls.</item>
/// <item>Any other filter on summary attributes, or none: one count per shard, then reads until the page is full:
/// O(shards + count) calls; each shard evaluates over its own users (users ÷ shards).</item>
/// <item>A filter on an attribute not kept in summaries: 400 <c>invalidFilter</c>, never a scan of every user.</item>
/// <item><c>sortBy</c> (summary attributes only): sorts all matches, so it is refused above <see cref="MaxSortable"/> matches.</item>
/// </list>
/// Pages are stable while nothing changes: shard by shard, and by id inside a shard.
/// </summary>
public sealed class UserDirectory(IGrainFactory grains, IMemoryCache cache)
{
    // Which user held a key when this silo last asked. Only a hint: every use is checked against the user
    // itself, and a miss asks the key again, so a stale entry costs one call and never a wrong answer.
    private static readonly TimeSpan KeyHintLifetime = TimeSpan.FromSeconds(30);

    public const int MaxSortable = 10_000;

    private static readonly string[] Indexes = ["id", "userName", "externalId"];

    public async Task<ScimResult<UserPage>> SearchAsync(TenantId tenant, SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Filter is { } filter)
        {
            var plan = FilterPlanner.Plan(filter, ScimSchemas.UserResourceType, Indexes);
            if (plan.Lookup is { } lookup)
            {
                var found = await LookupAsync(tenant, lookup, filter);
                IReadOnlyList<ListedUser> page = found is null || request.StartIndex > 1 || request.Count == 0 ? [] : [found];
                return ScimResult<UserPage>.Success(new UserPage(found is null ? 0 : 1, page));
            }
            if (!UserSummaries.CanAnswer(filter, out var missing))
            {
                return ScimError.InvalidFilter(
                    $"Filtering on '{missing}' is not supported without an index; filter on {string.Join(", ", Indexes)} (eq) or on {string.Join(", ", UserSummaries.Attributes)}.");
            }
        }
        if (request.Sort is { } sort && !UserSummaries.Attributes.Contains(sort.AttributeName.Split('.')[0]) && sort.AttributeName != "id")
        {
            return ScimError.InvalidValue($"sortBy '{sort.AttributeName}' is not supported; sort on one of {string.Join(", ", UserSummaries.Attributes)}.");
        }

        var shardCount = (await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).GetInfoAsync()).ShardCount;
        var shards = Enumerable.Range(0, Math.Max(1, shardCount))
            .Select(i => grains.Get<IDirectoryShardGrain>(GrainKeys.Shard(tenant, i))).ToArray();
        var filterText = request.Filter?.ToString();
        var counts = await Task.WhenAll(shards.Select(s => s.CountAsync(filterText)));
        var total = counts.Sum();

        List<string> ids;
        if (request.Sort is { } order)
        {
            if (total > MaxSortable)
            {
                return ScimError.TooMany($"sortBy over {total} users is refused (limit {MaxSortable}); narrow the filter or page without sortBy.");
            }
            var all = await Task.WhenAll(shards.Select(s => s.ReadAsync(filterText, 0, int.MaxValue)));
            ids = [.. all.SelectMany(p => p.Users)
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

        var users = await Task.WhenAll(ids.Select(id => grains.Get<IUserGrain>(GrainKeys.User(tenant, id)).GetAsync()));
        var result = new List<ListedUser>(users.Length);
        for (var i = 0; i < users.Length; i++)
        {
            if (users[i] is { } user)
            {
                result.Add(new ListedUser(user, ScimDocument.Load(ScimSchemas.UserResourceType, user.Document)));
            }
            else
            {
                // A summary left by a delete that crashed midway: drop it now (see UserGrain).
                var shard = shards[UserSummaries.ShardOf(ids[i], shards.Length)];
                await shard.RemoveAsync(ids[i]);
                total--;
            }
        }
        return ScimResult<UserPage>.Success(new UserPage(total, result));
    }

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
            ids.AddRange(page.Users.Select(u => u.Id));
            skip = 0;
        }
        return ids;
    }

    private async Task<ListedUser?> LookupAsync(TenantId tenant, IndexLookup lookup, FilterNode filter)
    {
        if (lookup.Attribute == "id")
        {
            return UserIds.IsValid(lookup.Value) ? await CheckAsync(tenant, lookup, filter, lookup.Value) : null;
        }
        var key = lookup.Attribute == "userName" ? GrainKeys.UserName(tenant, lookup.Value) : GrainKeys.ExternalId(tenant, lookup.Value);
        if (cache.TryGetValue(("key-hint", key), out string? hinted) && await CheckAsync(tenant, lookup, filter, hinted!) is { } hit)
        {
            return hit;
        }
        var id = await grains.Get<IUniqueKeyGrain>(key).ResolveAsync();
        if (!UserIds.IsValid(id))
        {
            return null;
        }
        var found = await CheckAsync(tenant, lookup, filter, id);
        if (found is not null)
        {
            cache.Set(("key-hint", key), id, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KeyHintLifetime, Size = 1 });
        }
        return found;
    }

    /// <summary>The user with this id, if it exists and satisfies the whole filter.</summary>
    private async Task<ListedUser?> CheckAsync(TenantId tenant, IndexLookup lookup, FilterNode filter, string id)
    {
        var user = await grains.Get<IUserGrain>(GrainKeys.User(tenant, id)).GetAsync();
        if (user is null)
        {
            return null;
        }
        var document = ScimDocument.Load(ScimSchemas.UserResourceType, user.Document);
        if (filter is ComparisonFilter)
        {
            // The filter is the lookup itself (Entra's probe and match query): only check that the key's holder
            // still has the value, since a key may name a user that has moved on.
            var matches = lookup.Attribute switch
            {
                "userName" => string.Equals(document.UserName, lookup.Value, StringComparison.OrdinalIgnoreCase),
                "externalId" => string.Equals(document.ExternalId, lookup.Value, StringComparison.Ordinal),
                _ => true,
            };
            return matches ? new ListedUser(user, document) : null;
        }
        var rendered = JsonSerializer.Deserialize<JsonElement>(
            ResourceRenderer.Render(document, new ResourceMeta(user.Id, user.Created, user.LastModified, user.Version, null)));
        return FilterEvaluator.MatchesValidated(filter, rendered, ScimSchemas.UserResourceType) ? new ListedUser(user, document) : null;
    }
}
