using System.Text.Json;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains;

public sealed class DirectoryShardGrain(
    [PersistentState("shard", StorageNames.Scim)] IPersistentState<ShardState> state) : Grain, IDirectoryShardGrain
{
    // Parsed summaries, so a filter is evaluated without re-parsing JSON; rebuilt lazily after a change.
    private readonly Dictionary<string, JsonElement> _parsed = new(StringComparer.Ordinal);

    public async Task UpsertAsync(UserSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (state.State.Summaries.TryGetValue(summary.Id, out var current) && current == summary.Json)
        {
            return;
        }
        state.State.Summaries[summary.Id] = summary.Json;
        _parsed.Remove(summary.Id);
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string userId)
    {
        if (state.State.Summaries.Remove(userId))
        {
            _parsed.Remove(userId);
            await state.WriteStateAsync();
        }
    }

    public Task<int> CountAsync(string? filter)
    {
        var parsed = Parse(filter);
        return Task.FromResult(parsed is null ? state.State.Summaries.Count : Matching(parsed).Count());
    }

    public Task<ShardPage> ReadAsync(string? filter, int skip, int take)
    {
        var parsed = Parse(filter);
        IEnumerable<string> ids = parsed is null ? state.State.Summaries.Keys : Matching(parsed);
        var page = ids.Skip(skip).Take(take).Select(id => new UserSummary(id, state.State.Summaries[id])).ToList();
        return Task.FromResult(new ShardPage(page));
    }

    private IEnumerable<string> Matching(FilterNode filter)
    {
        foreach (var (id, json) in state.State.Summaries)
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
        // The caller validated this filter; a failure here is a bug, not a client error.
        var parsed = FilterParser.Parse(filter);
        return parsed.IsSuccess && FilterValidator.Validate(parsed.Value, ScimSchemas.UserResourceType).IsSuccess
            ? parsed.Value
            : throw new ArgumentException($"Invalid filter reached a shard: {filter}", nameof(filter));
    }
}
