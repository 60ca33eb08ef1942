using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

[Orleans.Placement.PreferLocalPlacement]
internal sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Scim)] IPersistentState<TenantState> state,
    TimeProvider time,
    IOptions<OffboardingOptions> offboarding) : Grain, ITenantGrain
{
    private IGrainTimer? _purge;

    /// <summary>True while the registry holds this tenant's offboarding mark but the tenant's own state does not say so yet.</summary>
    private bool _marking;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Offboarding)
        {
            // An offboarding interrupted by a restart resumes when the tenant is next touched or the registry wakes it.
            StartBackgroundPurge();
        }
        return Task.CompletedTask;
    }

    public async Task<TenantInfo> EnsureAsync(int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        if (!state.State.Exists)
        {
            await Registry().AddAsync(Tenant);
            state.State = new TenantState { Exists = true, Created = time.GetUtcNow(), ShardCount = shardCount };
            await state.WriteStateAsync();
        }
        return Info();
    }

    public async Task<bool> OffboardAsync(int inlineBudget)
    {
        if (!state.State.Exists)
        {
            return true;
        }
        if (!state.State.Offboarding)
        {
            // The registry's mark comes first. A crash after it leaves a mark that the registry drops when it finds
            // the tenant not offboarding; the other order could leave an offboarding that nothing resumes.
            _marking = true;
            try
            {
                await Registry().MarkOffboardingAsync(Tenant);
                state.State = state.State with { Offboarding = true, ProvisioningEnabled = false, TokenDigest = null, TokenFingerprint = null, TokenIssuedAt = null,
                    AdminCredentialDigest = null, AdminCredentialIssuedAt = null, AdminGeneration = state.State.AdminGeneration + 1 };
                await state.WriteStateAsync();
            }
            finally
            {
                _marking = false;
            }
        }
        if (await PurgeAsync(inlineBudget))
        {
            return true;
        }
        StartBackgroundPurge();
        return false;
    }

    public Task<TenantInfo> ResumeOffboardingAsync()
    {
        if (state.State.Offboarding)
        {
            StartBackgroundPurge();
        }
        return Task.FromResult(_marking ? Info() with { Offboarding = true } : Info());
    }

    private void StartBackgroundPurge()
    {
        var interval = offboarding.Value.BackgroundInterval;
        // KeepAlive: idle collection must not stop a purge halfway; the tenant deactivates itself when done.
        _purge ??= this.RegisterGrainTimer(async () =>
        {
            if (await PurgeAsync(offboarding.Value.BackgroundBatch))
            {
                _purge?.Dispose();
                _purge = null;
            }
        }, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
    }

    /// <summary>Deletes up to <paramref name="budget"/> resources (of every type); true when none is left and the tenant is gone.</summary>
    private async Task<bool> PurgeAsync(int budget)
    {
        if (!state.State.Exists)
        {
            return true;
        }
        // Groups before users: a group's delete drops its members at once, so deleting the users after it finds no
        // memberships left to take them out of one by one.
        foreach (var type in ResourceTypes.All.Reverse())
        {
            for (var shardIndex = 0; shardIndex < Math.Max(1, state.State.ShardCount); shardIndex++)
            {
                var shard = type.ShardOf(GrainFactory, Tenant, shardIndex);
                while (true)
                {
                    if (budget <= 0)
                    {
                        return false;
                    }
                    var page = await shard.ReadAsync(null, 0, Math.Min(budget, 200));
                    if (page.Resources.Count == 0)
                    {
                        break;
                    }
                    foreach (var resource in page.Resources)
                    {
                        var deleted = await type.GrainOf(GrainFactory, Tenant, resource.Id).DeleteAsync(null);
                        if (!deleted.IsSuccess)
                        {
                            // The resource was already gone and left its summary behind: remove that by hand. A
                            // successful delete removed its own summary, so asking the shard again would be a wasted call.
                            await shard.RemoveAsync(resource.Id);
                        }
                    }
                    budget -= page.Resources.Count;
                }
            }
        }
        // State first: a crash between the two leaves a registry entry for a tenant that no longer exists, which the
        // registry removes when it next wakes the offboarding. The other order could strand an offboarding state.
        await state.ClearStateAsync();
        state.State = new TenantState();
        await Registry().RemoveAsync(Tenant);
        DeactivateOnIdle();
        return true;
    }

    private TenantId Tenant => TenantId.Parse(this.GetPrimaryKeyString());

    private ITenantRegistryGrain Registry() => GrainFactory.Get<ITenantRegistryGrain>(GrainKeys.Registry);

    public Task<TenantInfo> GetInfoAsync() => Task.FromResult(Info());

    public Task<TenantAccess> AuthorizeAsync(byte[] tokenDigest)
    {
        var current = state.State;
        if (!current.Exists || current.Offboarding || current.TokenDigest is null || !CryptographicOperations.FixedTimeEquals(current.TokenDigest, tokenDigest))
        {
            return Task.FromResult(TenantAccess.Denied);
        }
        return Task.FromResult(current.ProvisioningEnabled ? TenantAccess.Granted : TenantAccess.Disabled);
    }

    public async Task<TenantInfo> SetProvisioningAsync(bool enabled)
    {
        if (state.State.Exists && !state.State.Offboarding && state.State.ProvisioningEnabled != enabled)
        {
            state.State = state.State with { ProvisioningEnabled = enabled };
            await state.WriteStateAsync();
        }
        return Info();
    }

    public async Task<TenantChange> SetTokenAsync(byte[] tokenDigest, string fingerprint, DateTimeOffset issuedAt)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }
        state.State = state.State with { TokenDigest = tokenDigest, TokenFingerprint = fingerprint, TokenIssuedAt = issuedAt };
        await state.WriteStateAsync();
        return TenantChange.Done;
    }

    public async Task<TenantChange> RevokeTokenAsync()
    {
        if (!state.State.Exists)
        {
            return TenantChange.NoTenant;
        }
        state.State = state.State with { TokenDigest = null, TokenFingerprint = null, TokenIssuedAt = null };
        await state.WriteStateAsync();
        return TenantChange.Done;
    }

    public async Task<TenantChange> SetAdminCredentialAsync(byte[] credentialDigest, DateTimeOffset issuedAt)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }
        state.State = state.State with
        {
            AdminCredentialDigest = credentialDigest,
            AdminCredentialIssuedAt = issuedAt,
            AdminGeneration = state.State.AdminGeneration + 1,
            EndedAdminSessions = null,
        };
        await state.WriteStateAsync();
        return TenantChange.Done;
    }

    public async Task<TenantChange> RevokeAdminCredentialAsync()
    {
        if (!state.State.Exists)
        {
            return TenantChange.NoTenant;
        }
        state.State = state.State with { AdminCredentialDigest = null, AdminCredentialIssuedAt = null, AdminGeneration = state.State.AdminGeneration + 1, EndedAdminSessions = null };
        await state.WriteStateAsync();
        return TenantChange.Done;
    }

    /// <summary>Signed-out sessions remembered at once; past it every session ends (the generation moves on) instead.</summary>
    internal const int MaxEndedSessions = 100;

    public async Task EndAdminSessionAsync(string sessionId, DateTimeOffset expires)
    {
        if (!state.State.Exists)
        {
            return;
        }
        var now = time.GetUtcNow();
        var ended = (state.State.EndedAdminSessions ?? []).Where(e => e.Value > now).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        ended[sessionId] = expires;
        state.State = ended.Count > MaxEndedSessions
            ? state.State with { EndedAdminSessions = null, AdminGeneration = state.State.AdminGeneration + 1 }
            : state.State with { EndedAdminSessions = ended };
        await state.WriteStateAsync();
    }

    public Task<bool> IsAdminSessionEndedAsync(string sessionId) =>
        Task.FromResult(state.State.EndedAdminSessions?.ContainsKey(sessionId) == true);

    /// <summary>Streams a tenant may have: each is polled or pushed on its own, so this bounds what one tenant costs.</summary>
    internal const int MaxStreams = 10;

    public async Task<TenantChange> AddStreamAsync(string streamId)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }
        var streams = state.State.Streams ?? [];
        if (streams.Count >= MaxStreams)
        {
            return TenantChange.Limit;
        }
        state.State = state.State with { Streams = [.. streams, streamId] };
        await state.WriteStateAsync();
        await Registry().SetHasStreamsAsync(Tenant, true);
        return TenantChange.Done;
    }

    public async Task<TenantChange> RemoveStreamAsync(string streamId)
    {
        if (state.State.Streams is not { } streams || !streams.Contains(streamId))
        {
            return TenantChange.NoTenant;
        }
        state.State = state.State with { Streams = [.. streams.Where(s => s != streamId)] };
        await state.WriteStateAsync();
        if (state.State.Streams.Count == 0)
        {
            await Registry().SetHasStreamsAsync(Tenant, false);
        }
        return TenantChange.Done;
    }

    public Task<IReadOnlyList<string>> GetStreamsAsync() => Task.FromResult(state.State.Exists ? state.State.Streams ?? [] : (IReadOnlyList<string>)[]);

    public async Task OfferTokenRevealAsync(string revealId)
    {
        if (state.State.Exists)
        {
            state.State = state.State with { TokenRevealId = revealId };
            await state.WriteStateAsync();
        }
    }

    public async Task<bool> ConsumeTokenRevealAsync(string revealId)
    {
        if (state.State.TokenRevealId is not { } current || !CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(current), System.Text.Encoding.ASCII.GetBytes(revealId)))
        {
            return false;
        }
        state.State = state.State with { TokenRevealId = null };
        await state.WriteStateAsync();
        return true;
    }

    public Task<int?> AuthorizeAdminAsync(byte[] credentialDigest)
    {
        var current = state.State;
        var granted = current.Exists && !current.Offboarding && current.AdminCredentialDigest is not null
            && CryptographicOperations.FixedTimeEquals(current.AdminCredentialDigest, credentialDigest);
        return Task.FromResult(granted ? current.AdminGeneration : (int?)null);
    }

    /// <summary>Why a new secret is refused now, or null.</summary>
    private TenantChange? Refusal() =>
        !state.State.Exists ? TenantChange.NoTenant : state.State.Offboarding ? TenantChange.Offboarding : null;

    private TenantInfo Info()
    {
        var current = state.State;
        return new TenantInfo(current.Exists, current.ProvisioningEnabled, current.TokenIssuedAt, current.TokenFingerprint, current.Created,
            current.ShardCount, current.Offboarding, current.AdminCredentialIssuedAt, current.AdminGeneration);
    }
}
