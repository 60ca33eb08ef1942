using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains;

/// <summary>
/// One user. The order of steps, and what a crash between two of them leaves:
/// <list type="number">
/// <item>Reserve the uniqueness keys that change (userName, externalId). While reserving, this grain claims them
/// in memory. Crash now: the keys name this user, which holds nothing, so the next reserver takes them.</item>
/// <item>Write the user with <c>ProjectionPending</c>. Crash now: the user exists and holds its keys; its
/// directory summary may be stale until the grain next activates, which finishes step 4.</item>
/// <item>Release keys the user no longer uses. Crash now: those keys name a user that no longer claims them;
/// they go to the next reserver.</item>
/// <item>Upsert the directory summary. <c>ProjectionPending</c> stays set until the next activation, which
/// upserts again (a no-op when nothing changed) and clears it: one write per change, and a crash before the
/// upsert still heals.</item>
/// </list>
/// Delete clears the user first, then the summary and the keys; a summary left behind points at nobody and is
/// dropped by the listing that meets it, and the keys again go to the next reserver.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed class UserGrain(
    [PersistentState("user", StorageNames.Scim)] IPersistentState<UserState> state,
    TimeProvider time) : Grain, IUserGrain
{
    private readonly HashSet<string> _claiming = new(StringComparer.Ordinal);
    private TenantId _tenant;
    private string _userId = "";
    private int _shardCount;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenant, _userId) = GrainKeys.ParseUser(this.GetPrimaryKeyString());
        if (state.State.Exists && state.State.ProjectionPending)
        {
            await ProjectAsync(clearPending: true);
        }
    }

    public Task<UserSnapshot?> GetAsync() => Task.FromResult(state.State.Exists ? Snapshot() : null);

    public Task<bool> HoldsKeyAsync(UniqueAttribute attribute, string key) =>
        Task.FromResult(_claiming.Contains(key)
            || (state.State.Exists && (key == state.State.UserNameKey || key == state.State.ExternalIdKey)));

    public async Task<UserResult> CreateAsync(byte[] body)
    {
        if (state.State.Exists)
        {
            // Ids are fresh v7 GUIDs; reaching this means a caller reused one.
            throw new InvalidOperationException($"User {_userId} already exists.");
        }
        var validated = ResourceValidator.Validate(body, ScimSchemas.UserResourceType, ValidationContext.Create);
        if (!validated.TryGetValue(out var document, out var error))
        {
            return Fail(error);
        }
        var now = time.GetUtcNow();
        return await CommitAsync(document, version: 1, created: now, now);
    }

    public async Task<UserResult> ReplaceAsync(byte[] body, string? ifMatch)
    {
        if (Precondition(ifMatch) is { } failure)
        {
            return failure;
        }
        var current = CurrentDocument();
        var validated = ResourceValidator.Validate(body, ScimSchemas.UserResourceType, ValidationContext.Replace, current);
        if (!validated.TryGetValue(out var document, out var error))
        {
            return Fail(error);
        }
        if (document.Utf8Json.AsSpan().SequenceEqual(current.Utf8Json))
        {
            return UserResult.Success(Snapshot());
        }
        return await CommitAsync(document, state.State.Version + 1, state.State.Created, time.GetUtcNow());
    }

    public async Task<UserResult> PatchAsync(byte[] body, string? ifMatch)
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
        var applied = PatchEngine.Apply(CurrentDocument(), patch);
        if (!applied.TryGetValue(out var result, out var error))
        {
            return Fail(error);
        }
        if (!result.Changed)
        {
            // Entra ID re-sends active=true every cycle: answer without writing anything.
            return UserResult.Success(Snapshot());
        }
        return await CommitAsync(result.Document, state.State.Version + 1, state.State.Created, time.GetUtcNow());
    }

    public async Task<UserResult> DeleteAsync(string? ifMatch)
    {
        if (Precondition(ifMatch) is { } failure)
        {
            return failure;
        }
        var keys = new List<string>();
        keys.AddRange(new[] { state.State.UserNameKey, state.State.ExternalIdKey }.OfType<string>());
        await state.ClearStateAsync();
        state.State = new UserState();
        // From here on the user is gone; what follows only tidies up, and heals by itself if it does not finish.
        try
        {
            await (await ShardAsync()).RemoveAsync(_userId);
            await ReleaseAsync(keys);
        }
        finally
        {
            // Only now: a deactivating grain holds even interleaving calls until it is gone, so deactivating before
            // releasing would leave a key's HoldsKeyAsync question waiting on this call, which waits on the key.
            DeactivateOnIdle();
        }
        return UserResult.Success(null);
    }

    private async Task<UserResult> CommitAsync(ScimDocument document, long version, DateTimeOffset created, DateTimeOffset now)
    {
        var userNameKey = GrainKeys.UserName(_tenant, document.UserName!);
        var externalIdKey = document.ExternalId is { } externalId ? GrainKeys.ExternalId(_tenant, externalId) : null;
        var previous = state.State;

        var granted = new List<string>();
        try
        {
            if (await ReserveAsync(UniqueAttribute.UserName, userNameKey, previous.UserNameKey, granted) is false)
            {
                return Fail(ScimError.Uniqueness($"userName '{document.UserName}' is already in use by another user of this tenant."));
            }
            if (externalIdKey is not null && await ReserveAsync(UniqueAttribute.ExternalId, externalIdKey, previous.ExternalIdKey, granted) is false)
            {
                await ReleaseAsync(granted);
                return Fail(ScimError.Uniqueness($"externalId '{document.ExternalId}' is already in use by another user of this tenant."));
            }

            state.State = new UserState
            {
                Exists = true,
                Document = document.Utf8Json,
                Version = version,
                Created = created,
                LastModified = now,
                UserNameKey = userNameKey,
                ExternalIdKey = externalIdKey,
                ProjectionPending = true,
            };
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State = previous;
                await ReleaseAsync(granted);
                throw;
            }
        }
        finally
        {
            _claiming.Clear();
        }

        var stale = new List<string>();
        if (previous.UserNameKey is { } oldName && oldName != userNameKey)
        {
            stale.Add(oldName);
        }
        if (previous.ExternalIdKey is { } oldExternal && oldExternal != externalIdKey)
        {
            stale.Add(oldExternal);
        }
        try
        {
            await ReleaseAsync(stale);
            await ProjectAsync();
        }
        catch
        {
            // The user is written but its summary may not be: let the next activation finish (OnActivateAsync).
            DeactivateOnIdle();
            throw;
        }
        return UserResult.Success(Snapshot());
    }

    private async Task<bool> ReserveAsync(UniqueAttribute attribute, string key, string? currentKey, List<string> granted)
    {
        if (key == currentKey)
        {
            return true;
        }
        _claiming.Add(key);
        var reservation = await GrainFactory.Get<IUniqueKeyGrain>(key).ReserveAsync(_userId, attribute);
        if (!reservation.Granted)
        {
            _claiming.Remove(key);
            await ReleaseAsync(granted);
            return false;
        }
        granted.Add(key);
        return true;
    }

    /// <summary>Best effort: a key left behind names a user that no longer claims it, and heals on next reserve.</summary>
    private async Task ReleaseAsync(List<string> keys)
    {
        foreach (var key in keys)
        {
            _claiming.Remove(key);
            try
            {
                await GrainFactory.Get<IUniqueKeyGrain>(key).ReleaseAsync(_userId);
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
    /// Upserts the summary. The pending flag written with the user is cleared only by a later activation (which
    /// re-upserts first): one write per change instead of two, and a crash before the upsert still heals.
    /// </summary>
    private async Task ProjectAsync(bool clearPending = false)
    {
        await (await ShardAsync()).UpsertAsync(new UserSummary(_userId, UserSummaries.Render(Snapshot())));
        if (clearPending)
        {
            state.State = state.State with { ProjectionPending = false };
            await state.WriteStateAsync();
        }
    }

    private async Task<IDirectoryShardGrain> ShardAsync()
    {
        if (_shardCount == 0)
        {
            // Fixed at tenant creation; read once per activation.
            var info = await GrainFactory.Get<ITenantGrain>(GrainKeys.Tenant(_tenant)).GetInfoAsync();
            _shardCount = Math.Max(1, info.ShardCount);
        }
        return GrainFactory.Get<IDirectoryShardGrain>(GrainKeys.Shard(_tenant, UserSummaries.ShardOf(_userId, _shardCount)));
    }

    private UserResult? Precondition(string? ifMatch)
    {
        if (!state.State.Exists)
        {
            return Fail(ScimError.NotFound($"User {_userId} not found."));
        }
        if (ifMatch is not null && !ETag.Matches(ifMatch, state.State.Version))
        {
            return Fail(ScimError.PreconditionFailed($"The user has changed: its version is {ETag.Format(state.State.Version)}, If-Match was {ifMatch}."));
        }
        return null;
    }

    private ScimDocument CurrentDocument() => ScimDocument.Load(ScimSchemas.UserResourceType, state.State.Document!);

    private UserSnapshot Snapshot() =>
        new(_userId, state.State.Document!, state.State.Version, state.State.Created, state.State.LastModified);

    private static UserResult Fail(ScimError error) => UserResult.Fail(ScimFailure.From(error));
}
