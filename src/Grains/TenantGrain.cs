using System.Security.Cryptography;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Scim)] IPersistentState<TenantState> state,
    TimeProvider time) : Grain, ITenantGrain
{
    public async Task<TenantInfo> EnsureAsync(int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        if (!state.State.Exists)
        {
            state.State = new TenantState { Exists = true, Created = time.GetUtcNow(), ShardCount = shardCount };
            await state.WriteStateAsync();
        }
        return Info();
    }

    public Task<TenantInfo> GetInfoAsync() => Task.FromResult(Info());

    public Task<TenantAccess> AuthorizeAsync(byte[] tokenDigest)
    {
        var current = state.State;
        if (!current.Exists || current.TokenDigest is null || !CryptographicOperations.FixedTimeEquals(current.TokenDigest, tokenDigest))
        {
            return Task.FromResult(TenantAccess.Denied);
        }
        return Task.FromResult(current.ProvisioningEnabled ? TenantAccess.Granted : TenantAccess.Disabled);
    }

    public async Task<TenantInfo> SetProvisioningAsync(bool enabled)
    {
        if (state.State.Exists && state.State.ProvisioningEnabled != enabled)
        {
            state.State = state.State with { ProvisioningEnabled = enabled };
            await state.WriteStateAsync();
        }
        return Info();
    }

    public async Task<bool> SetTokenAsync(byte[] tokenDigest, string fingerprint, DateTimeOffset issuedAt)
    {
        if (!state.State.Exists)
        {
            return false;
        }
        state.State = state.State with { TokenDigest = tokenDigest, TokenFingerprint = fingerprint, TokenIssuedAt = issuedAt };
        await state.WriteStateAsync();
        return true;
    }

    public async Task<bool> RevokeTokenAsync()
    {
        if (!state.State.Exists)
        {
            return false;
        }
        state.State = state.State with { TokenDigest = null, TokenFingerprint = null, TokenIssuedAt = null };
        await state.WriteStateAsync();
        return true;
    }

    private TenantInfo Info()
    {
        var current = state.State;
        return new TenantInfo(current.Exists, current.ProvisioningEnabled, current.TokenIssuedAt, current.TokenFingerprint, current.Created, current.ShardCount);
    }
}
