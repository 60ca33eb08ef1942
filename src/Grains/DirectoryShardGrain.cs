using System.Text.Json;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains;

/// <summary>
/// Serves one shard from memory and writes through to <see cref="IDirectoryStore"/> one row per change. Reading
/// the shard happens once per activation; a write costs the same whatever the shard holds.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed class DirectoryShardGrain(IDirectoryStore store) : Grain, IDirectoryShardGrain
{
    // A sorted list, not a sorted dictionary: paging without a filter indexes straight to startIndex.
    private readonly SortedList<string, string> _summaries = new(StringComparer.Ordinal);

    // Parsed summaries, so a filter is evaluated without re-parsing JSON; dropped when a summary changes.
    private readonly Dictionary<string, JsonElement> _parsed = new(StringComparer.Ordinal);

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var summary in await store.ReadShardAsync(Key))
        {
            _summaries[summary.Id] = summary.Json;
        }
    }

    public async Task UpsertAsync(UserSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_summaries.TryGetValue(summary.Id, out var current) && current == summary.Json)
        {
            return;
        }
        await store.UpsertAsync(Key, summary);
        _summaries[summary.Id] = summary.Json;
        _parsed.Remove(summary.Id);
    }

    public async Task RemoveAsync(string userId)
    {
        if (_summaries.ContainsKey(userId))
        {
            await store.RemoveAsync(Key, userId);
            _summaries.Remove(userId);
            _parsed.Remove(userId);
        }
    }

    public Task<int> CountAsync(string? filter)
    {
        var parsed = Parse(filter);
        return Task.FromResult(parsed is null ? _summaries.Count : Matching(parsed).Count());
    }

    public Task<ShardPage> ReadAsync(string? filter, int skip, int take)
    {
        var parsed = Parse(filter);
        List<UserSummary> page;
        if (parsed is null)
        {
            var end = (int)Math.Min((long)skip + take, _summaries.Count);
            page = new List<UserSummary>(Math.Max(0, end - skip));
            for (var i = skip; i < end; i++)
            {
                page.Add(new UserSummary(_summaries.Keys[i], _summaries.Values[i]));
            }
        }
        else
        {
            page = [.. Matching(parsed).Skip(skip).Take(take).Select(id => new UserSummary(id, _summaries[id]))];
        }
        return Task.FromResult(new ShardPage(page));
    }

    private IEnumerable<string> Matching(FilterNode filter)
    {
        foreach (var (id, json) in _summaries)
        {
            if (!_parsed.TryGetValue(id, out var element))
            {
                element = JsonSerializer.Deserialize<JsonElement>(json);
                _parsed[id] = element;
            }
            if (FilterEvaluator.MatchesValidated(filter, element, ScimSchemas.UserResourceType))
            {
                yield return id;
            }
        }
    }

    private static FilterNode? Parse(string? filter)
    {
        if (filter is null)
        {
            return null;
        }
        // The caller validated this filter and sent its printed form; a failure here is a bug, not a client error.
        var parsed = FilterParser.Parse(filter, FilterLimits.Reparse);
        return parsed.IsSuccess && FilterValidator.Validate(parsed.Value, ScimSchemas.UserResourceType).IsSuccess
            ? parsed.Value
            : throw new ArgumentException($"Invalid filter reached a shard: {filter}", nameof(filter));
    }
}
