using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Grains;

/// <summary>
/// One resource of any type; a type's grain only names its <see cref="ResourceType"/> and its state. The order of
/// steps, and what a crash between two of them leaves:
/// <list type="number">
/// <item>Reserve the uniqueness keys that change (a user's userName and externalId). While reserving, this grain
/// claims them in memory. Crash now: the keys name this resource, which holds nothing, so the next reserver takes them.</item>
/// <item>Write the resource with <c>ProjectionPending</c>. Crash now: the resource exists and holds its keys; its
/// directory summary may be stale until the grain next activates, which finishes steps 3 and 5.</item>
/// <item>Finish what the write changes outside the resource (<see cref="FinishAsync"/>: a group's members), which
/// the written state carries, so the next activation finishes it again (idempotently) after a crash.</item>
/// <item>Release keys the resource no longer uses. Crash now: those keys name a resource that no longer claims
/// them; they go to the next reserver.</item>
/// <item>Upsert the directory summary and, at the same time, append the change's event to the tenant's feed (the
/// write carried it as <c>Change</c>). Both stay marked pending until the next activation, which upserts and appends again (a no-op
/// when already done: the feed knows the event by its key) and clears them: one write per change, and a crash
/// before either still heals. Only then is the write acknowledged, so no acknowledged write lacks its event.</item>
/// </list>
/// Delete writes a tombstone carrying the delete event, tidies what refers to the resource
/// (<see cref="TidyDeletedAsync"/>: a user's memberships, a group's members), removes the summary, releases the keys,
/// appends the event and clears the tombstone. A crash before the append leaves the tombstone, which the next activation finishes;
/// a summary left behind points at nobody and is dropped by the listing that meets it, and the keys again go to
/// the next reserver.
/// </summary>
internal abstract class ResourceGrain<TState>(IPersistentState<TState> state, TimeProvider time, ResourceType type) : Grain, IResourceGrain
    where TState : class, IResourceState<TState>, new()
{
    private readonly HashSet<string> _claiming = new(StringComparer.Ordinal);
    private TenantId _tenant;
    private string _id = "";
    private int _shardCount;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenant, _id) = GrainKeys.ParseResource(this.GetPrimaryKeyString());
        var current = state.State;
        if (current.Exists && (current.ProjectionPending || current.Change is not null))
        {
            await FinishAsync(current);
            await ProjectAsync(CurrentDocument());
            if (current.Change is { } change)
            {
                await AppendAsync(change, repair: true);
            }
            state.State = current.Settled();
            await state.WriteStateAsync(cancellationToken);
        }
        else if (!current.Exists && current.Change is { Kind: ChangeKind.Delete } deleted)
        {
            // A delete that stopped before its event: finish it.
            await TidyDeletedAsync();
            await AppendAsync(deleted, repair: true);
            await state.ClearStateAsync(cancellationToken);
            state.State = new TState();
        }
    }

    public Task<ResourceSnapshot?> GetAsync() => Task.FromResult(state.State.Exists ? Snapshot() : null);

    public Task<bool> HoldsKeyAsync(string key) =>
        Task.FromResult(_claiming.Contains(key) || (state.State.Exists && state.State.Keys.Contains(key)));

    public virtual async Task<ResourceResult> CreateAsync(byte[] body)
    {
        if (state.State.Exists)
        {
            // Ids are fresh v7 GUIDs; reaching this means a caller reused one.
            throw new InvalidOperationException($"{type.Name} {_id} already exists.");
        }
        var validated = ResourceValidator.Validate(body, type.Schema, ValidationContext.Create);
        if (!validated.TryGetValue(out var document, out var error))
        {
            return Fail(error);
        }
        var now = time.GetUtcNow();
        return await CommitAsync(document, version: 1, created: now, now, ChangeKind.Create, previous: null);
    }

    public virtual async Task<ResourceResult> ReplaceAsync(byte[] body, string? ifMatch)
    {
        if (Precondition(ifMatch) is { } failure)
        {
            return failure;
        }
        var current = CurrentDocument();
        var validated = ResourceValidator.Validate(body, type.Schema, ValidationContext.Replace, current);
        if (!validated.TryGetValue(out var document, out var error))
        {
            return Fail(error);
        }
        if (document.Utf8Json.AsSpan().SequenceEqual(current.Utf8Json))
        {
            return ResourceResult.Success(Snapshot());
        }
        return await CommitAsync(document, state.State.Version + 1, state.State.Created, time.GetUtcNow(), ChangeKind.Put, current);
    }

    public virtual async Task<ResourceResult> PatchAsync(byte[] body, string? ifMatch)
    {
        if (Precondition(ifMatch) is { } failure)
        {
            return failure;
        }
        var request = PatchRequest.Parse(body);
        if (!request.TryGetValue(out var patch, out var parseError))
        {
            return Fail(parseError);
        }
        var current = CurrentDocument();
        var applied = PatchEngine.Apply(current, patch);
        if (!applied.TryGetValue(out var result, out var error))
        {
            return Fail(error);
        }
        if (!result.Changed)
        {
            // Entra ID re-sends active=true every cycle: answer without writing anything.
            return ResourceResult.Success(Snapshot());
        }
        return await CommitAsync(result.Document, state.State.Version + 1, state.State.Created, time.GetUtcNow(), ChangeKind.Patch, current);
    }

    public async Task<ResourceResult> DeleteAsync(string? ifMatch)
    {
        if (Precondition(ifMatch) is { } failure)
        {
            return failure;
        }
        var keys = state.State.Keys.OfType<string>().ToList();
        var deleted = new PendingChange(ChangeKind.Delete, [], time.GetUtcNow(), TraceId());
        var before = state.State;
        state.State = TState.Tombstone(before.Version, deleted);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            throw;
        }
        // From here on the resource is gone; what follows only tidies up, and heals by itself if it does not finish.
        try
        {
            await TidyDeletedAsync();
            await (await ShardAsync()).RemoveAsync(_id);
            await ReleaseAsync(keys);
            await AppendAsync(deleted, repair: false);
            await state.ClearStateAsync();
            state.State = new TState();
        }
        finally
        {
            // Only now: a deactivating grain holds even interleaving calls until it is gone, so deactivating before
            // releasing would leave a key's HoldsKeyAsync question waiting on this call, which waits on the key.
            DeactivateOnIdle();
        }
        return ResourceResult.Success(null);
    }

    /// <summary>What a type's grain adds to the state of a write (a group's membership change), and to its event's changed attributes.</summary>
    protected sealed record Outside(Func<TState, TState> Amend, string Attribute);

    /// <summary>Writes a new version in the order above.</summary>
    /// <param name="outside">What the write also changes outside the document, or null.</param>
    protected async Task<ResourceResult> CommitAsync(ScimDocument document, long version, DateTimeOffset created, DateTimeOffset now,
        ChangeKind kind, ScimDocument? previous, Outside? outside = null)
    {
        var change = ResourceChanges.Of(kind, previous, document, now, TraceId());
        if (outside is not null && !change.Attributes.Contains(outside.Attribute))
        {
            change = change with { Attributes = [.. change.Attributes, outside.Attribute] };
        }
        var keys = type.KeysOf(_tenant, document);
        var before = state.State;
        var held = before.Keys;

        var granted = new List<string>();
        try
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i] is { } key && !await ReserveAsync(key, held.ElementAtOrDefault(i), granted))
                {
                    var attribute = type.UniqueAttributes[i].Name;
                    return Fail(ScimError.Uniqueness(
                        $"{attribute} '{ResourceType.ValueOf(document, attribute)}' is already in use by another {type.Name.ToLowerInvariant()} of this tenant."));
                }
            }

            var written = TState.Written(document.Utf8Json, version, created, now, keys, change);
            state.State = outside is null ? written : outside.Amend(written);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State = before;
                await ReleaseAsync(granted);
                throw;
            }
        }
        finally
        {
            _claiming.Clear();
        }

        var stale = held.OfType<string>().Where(k => !keys.Contains(k)).ToList();
        try
        {
            await FinishAsync(state.State);
            await ReleaseAsync(stale);
            // Together, so the change waits for one commit instead of two in a row. Neither needs the other: the
            // event carries the whole document, and the listing row, like the resource itself, may lead or trail
            // it by a moment; both are pending in the written state until an activation has seen them through.
            await Task.WhenAll(ProjectAsync(document), AppendAsync(change, repair: false));
        }
        catch
        {
            // The resource is written but its summary or event may not be: let the next activation finish (OnActivateAsync).
            DeactivateOnIdle();
            throw;
        }
        return ResourceResult.Success(Snapshot());
    }

    /// <summary>
    /// Finishes what a written state changes outside the resource; called after the write and again by the next
    /// activation while the write is pending, so it must be idempotent.
    /// </summary>
    protected virtual Task FinishAsync(TState written) => Task.CompletedTask;

    /// <summary>Removes what refers to a deleted resource; called after its tombstone is written and again on repair.</summary>
    protected virtual Task TidyDeletedAsync() => Task.CompletedTask;

    protected TState State => state.State;

    protected TenantId Tenant => _tenant;

    protected string Id => _id;

    protected DateTimeOffset Now() => time.GetUtcNow();

    /// <summary>Reserves a key the resource does not hold yet; on refusal releases what this change was granted.</summary>
    private async Task<bool> ReserveAsync(string key, string? currentKey, List<string> granted)
    {
        if (key == currentKey)
        {
            return true;
        }
        _claiming.Add(key);
        var reservation = await GrainFactory.Get<IUniqueKeyGrain>(key).ReserveAsync(_id);
        if (!reservation.Granted)
        {
            _claiming.Remove(key);
            await ReleaseAsync(granted);
            return false;
        }
        granted.Add(key);
        return true;
    }

    /// <summary>Best effort: a key left behind names a resource that no longer claims it, and heals on next reserve.</summary>
    private async Task ReleaseAsync(List<string> keys)
    {
        foreach (var key in keys)
        {
            _claiming.Remove(key);
            try
            {
                await GrainFactory.Get<IUniqueKeyGrain>(key).ReleaseAsync(_id);
            }
            catch (OrleansException)
            {
                // See the summary: harmless to leave.
            }
            catch (TimeoutException)
            {
                // See the summary: harmless to leave.
            }
        }
        keys.Clear();
    }

    /// <summary>
    /// Upserts the summary. The pending flag written with the resource is cleared only by a later activation (which
    /// re-upserts first): one write per change instead of two, and a crash before the upsert still heals.
    /// </summary>
    private async Task ProjectAsync(ScimDocument document) =>
        await (await ShardAsync()).UpsertAsync(new ResourceSummary(_id, ResourceSummaries.Render(document, Snapshot())));

    /// <summary>Appends the change's event to the tenant's feed; <paramref name="repair"/> when it may be there already.</summary>
    private Task<long> AppendAsync(PendingChange change, bool repair)
    {
        var current = state.State;
        var document = change.Kind == ChangeKind.Delete ? null : current.Document;
        var created = change.Kind == ChangeKind.Delete ? change.Time : current.Created;
        var changeEvent = new ChangeEvent(0, type.Name, _id, current.Version, change.Kind, change.Time, change.Attributes, document, created, change.TraceId);
        return GrainFactory.Get<IEventFeedGrain>(GrainKeys.Tenant(_tenant)).AppendAsync(changeEvent, repair);
    }

    /// <summary>The W3C trace context of the request making the change, so its event's delivery can link back to it.</summary>
    private static string? TraceId() =>
        System.Diagnostics.Activity.Current?.Id ?? RequestContext.Get(ChangeEvent.TraceParentContextKey) as string;

    private async Task<IDirectoryShardGrain> ShardAsync() =>
        type.ShardOf(GrainFactory, _tenant, ResourceSummaries.ShardOf(_id, await ShardCountAsync()));

    /// <summary>The tenant's directory shard count: fixed at tenant creation, so read once per activation.</summary>
    protected async Task<int> ShardCountAsync()
    {
        if (_shardCount == 0)
        {
            _shardCount = await TenantShards.OfAsync(GrainFactory, _tenant);
        }
        return _shardCount;
    }

    protected ResourceResult? Precondition(string? ifMatch)
    {
        if (!state.State.Exists)
        {
            return Fail(ScimError.NotFound($"{type.Name} {_id} not found."));
        }
        if (ifMatch is not null && !ETag.Matches(ifMatch, state.State.Version))
        {
            return Fail(ScimError.PreconditionFailed(
                $"The {type.Name.ToLowerInvariant()} has changed: its version is {ETag.Format(state.State.Version)}, If-Match was {ifMatch}."));
        }
        return null;
    }

    protected ScimDocument CurrentDocument() => ScimDocument.Load(type.Schema, state.State.Document!);

    protected ResourceSnapshot Snapshot() =>
        new(_id, state.State.Document!, state.State.Version, state.State.Created, state.State.LastModified);

    protected static ResourceResult Fail(ScimError error) => ResourceResult.Fail(ScimFailure.From(error));
}
