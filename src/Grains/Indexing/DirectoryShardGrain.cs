using System.Text.Json;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Filtering;

namespace RfpioGateway.Grains;

/// <summary>
/// Serves one shard from memory and writes through to <see cref="IDirectoryStore"/> one row per change. Reading
/// the shard happens once per activation; a write costs the same whatever the shard holds.
/// </summary>
[GrainType("directoryshard"), Orleans.Placement.PreferLocalPlacement]
internal sealed class DirectoryShardGrain(IDirectoryStore store) : Grain, IDirectoryShardGrain
{
    // A sorted list, not a sorted dictionary: paging without a filter indexes straight to startIndex.
    private readonly SortedList<string, string> _summaries = new(StringComparer.Ordinal);

    // Parsed summaries, so a filter is evaluated without re-parsing JSON; dropped when a summary changes.
    private readonly Dictionary<string, JsonElement> _parsed = new(StringComparer.Ordinal);

    // The type's value indexes (externalId): attribute, then value, then ids. Built on first use from the summaries,
    // then kept in step with them, so a shard that is never asked pays nothing.
    private Dictionary<string, Dictionary<string, SortedSet<string>>>? _byValue;

    private ResourceType _type = null!;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _type = ResourceTypes.WithShardPrefix(GrainKeys.ParseShardPrefix(Key));
        foreach (var summary in await store.ReadShardAsync(Key))
        {
            _summaries[summary.Id] = summary.Json;
        }
    }

    public async Task UpsertAsync(ResourceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_summaries.TryGetValue(summary.Id, out var current) && current == summary.Json)
        {
            return;
        }
        await store.UpsertAsync(Key, summary);
        Unindex(summary.Id, current);
        _summaries[summary.Id] = summary.Json;
        _parsed.Remove(summary.Id);
        Index(summary.Id, summary.Json);
    }

    public async Task RemoveAsync(string id)
    {
        if (_summaries.TryGetValue(id, out var json))
        {
            await store.RemoveAsync(Key, id);
            Unindex(id, json);
            _summaries.Remove(id);
            _parsed.Remove(id);
        }
    }

    public Task<IReadOnlyList<ResourceSummary>> FindAsync(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<ResourceSummary>(ids.Count);
        foreach (var id in ids)
        {
            if (_summaries.TryGetValue(id, out var json))
            {
                found.Add(new ResourceSummary(id, json));
            }
        }
        return Task.FromResult<IReadOnlyList<ResourceSummary>>(found);
    }

    public Task<IReadOnlyList<ResourceSummary>> StaleAsync(int take)
    {
        IReadOnlyList<ResourceSummary> stale = [.. _summaries.Where(s => !ResourceSummaries.IsCurrent(s.Value)).Take(take)
            .Select(s => new ResourceSummary(s.Key, s.Value))];
        return Task.FromResult(stale);
    }

    public async Task RefreshAsync(ResourceSummary stale, ResourceSummary? current)
    {
        ArgumentNullException.ThrowIfNull(stale);
        if (!_summaries.TryGetValue(stale.Id, out var json) || json != stale.Json)
        {
            return;
        }
        if (current is null)
        {
            await RemoveAsync(stale.Id);
        }
        else
        {
            await UpsertAsync(current);
        }
    }

    public Task<IReadOnlyList<string>> FindByAsync(string attribute, string value)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(value);
        if (_byValue is null)
        {
            _byValue = _type.ValueIndexes.ToDictionary(a => a, _ => new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal), StringComparer.Ordinal);
            foreach (var (id, json) in _summaries)
            {
                Index(id, json);
            }
        }
        IReadOnlyList<string> ids = _byValue.TryGetValue(attribute, out var values) && values.TryGetValue(value, out var holders) ? [.. holders] : [];
        return Task.FromResult(ids);
    }

    private void Index(string id, string json) => Visit(json, (holders, value) =>
    {
        if (!holders.TryGetValue(value, out var ids))
        {
            holders[value] = ids = new SortedSet<string>(StringComparer.Ordinal);
        }
        ids.Add(id);
    });

    private void Unindex(string id, string? json)
    {
        if (json is not null)
        {
            Visit(json, (holders, value) =>
            {
                if (holders.TryGetValue(value, out var ids) && ids.Remove(id) && ids.Count == 0)
                {
                    holders.Remove(value);
                }
            });
        }
    }

    /// <summary>Calls <paramref name="apply"/> with each value index's map and the summary's value for it.</summary>
    private void Visit(string json, Action<Dictionary<string, SortedSet<string>>, string> apply)
    {
        if (_byValue is null)
        {
            return;
        }
        using var summary = JsonDocument.Parse(json);
        foreach (var (attribute, holders) in _byValue)
        {
            if (summary.RootElement.TryGetProperty(attribute, out var value) && value.ValueKind == JsonValueKind.String)
            {
                apply(holders, value.GetString()!);
            }
        }
    }

    public Task<int> CountAsync(string? filter)
    {
        var parsed = Parse(filter, _type);
        return Task.FromResult(parsed is null ? _summaries.Count : Matching(parsed).Count());
    }

    public Task<ShardPage> ReadAsync(string? filter, int skip, int take)
    {
        var parsed = Parse(filter, _type);
        List<ResourceSummary> page;
        if (parsed is null)
        {
            var end = (int)Math.Min((long)skip + take, _summaries.Count);
            page = new List<ResourceSummary>(Math.Max(0, end - skip));
            for (var i = skip; i < end; i++)
            {
                page.Add(new ResourceSummary(_summaries.Keys[i], _summaries.Values[i]));
            }
        }
        else
        {
            page = [.. Matching(parsed).Skip(skip).Take(take).Select(id => new ResourceSummary(id, _summaries[id]))];
        }
        return Task.FromResult(new ShardPage(page));
    }

    public Task<ShardPage> ReadAfterAsync(string? filter, string? afterId, int take)
    {
        var parsed = Parse(filter, _type);
        var page = new List<ResourceSummary>(Math.Clamp(take, 0, 1024));
        for (var i = afterId is null ? 0 : FirstAbove(afterId); i < _summaries.Count && page.Count < take; i++)
        {
            var id = _summaries.Keys[i];
            if (parsed is null || Matches(parsed, id, _summaries.Values[i]))
            {
                page.Add(new ResourceSummary(id, _summaries.Values[i]));
            }
        }
        return Task.FromResult(new ShardPage(page));
    }

    /// <summary>The index of the first id ordered after <paramref name="id"/>: a binary search over the sorted keys.</summary>
    private int FirstAbove(string id)
    {
        var keys = _summaries.Keys;
        var (low, high) = (0, keys.Count);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (string.CompareOrdinal(keys[middle], id) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private bool Matches(FilterNode filter, string id, string json)
    {
        if (!_parsed.TryGetValue(id, out var element))
        {
            element = JsonSerializer.Deserialize<JsonElement>(json);
            _parsed[id] = element;
        }
        return FilterEvaluator.MatchesValidated(filter, element, _type.Schema);
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
            if (FilterEvaluator.MatchesValidated(filter, element, _type.Schema))
            {
                yield return id;
            }
        }
    }

    private static FilterNode? Parse(string? filter, ResourceType type)
    {
        if (filter is null)
        {
            return null;
        }
        // The caller validated this filter and sent its printed form; a failure here is a bug, not a client error.
        var parsed = FilterParser.Parse(filter, FilterLimits.Reparse);
        return parsed.IsSuccess && FilterValidator.Validate(parsed.Value, type.Schema).IsSuccess
            ? parsed.Value
            : throw new ArgumentException($"Invalid filter reached a shard: {filter}", nameof(filter));
    }
}
