using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.ScimApi.Auth;

namespace RfpioGateway.TenantAdmin.Operator;

/// <summary>
/// The changes an operator (operator API) or a tenant admin (console) makes to a tenant, in one place, so both
/// paths drop this silo's cached verdicts the same way.
/// </summary>
internal sealed class TenantSettings(IGrainFactory grains, TokenService tokens, TenantAuthorizer authorizer, TimeProvider time)
{
    public Task<TenantInfo> GetAsync(TenantId tenant) => Grain(tenant).GetInfoAsync();

    public async Task<TenantInfo> SetProvisioningAsync(TenantId tenant, bool enabled)
    {
        var info = await Grain(tenant).SetProvisioningAsync(enabled);
        authorizer.Invalidate(tenant);
        return info;
    }

    /// <summary>A new SCIM token (the old one stops working), or why there is none.</summary>
    public async Task<ScimResult<IssuedSecret>> IssueTokenAsync(TenantId tenant)
    {
        var token = TokenService.NewToken();
        var issuedAt = time.GetUtcNow();
        var change = await Grain(tenant).SetTokenAsync(tokens.Digest(token), TokenService.Fingerprint(token), issuedAt);
        authorizer.Invalidate(tenant);
        return Issued(tenant, change, new IssuedSecret(token, TokenService.Fingerprint(token), issuedAt));
    }

    public async Task RevokeTokenAsync(TenantId tenant)
    {
        await Grain(tenant).RevokeTokenAsync();
        authorizer.Invalidate(tenant);
    }

    /// <summary>A new tenant-admin console credential (ending every console session), or why there is none.</summary>
    public async Task<ScimResult<IssuedSecret>> IssueAdminCredentialAsync(TenantId tenant)
    {
        var credential = TokenService.NewAdminCredential();
        var issuedAt = time.GetUtcNow();
        var change = await Grain(tenant).SetAdminCredentialAsync(tokens.Digest(credential), issuedAt);
        return Issued(tenant, change, new IssuedSecret(credential, TokenService.Fingerprint(credential), issuedAt));
    }

    public Task RevokeAdminCredentialAsync(TenantId tenant) => Grain(tenant).RevokeAdminCredentialAsync();

    private static ScimResult<IssuedSecret> Issued(TenantId tenant, TenantChange change, IssuedSecret secret) => change switch
    {
        TenantChange.Done => ScimResult<IssuedSecret>.Success(secret),
        TenantChange.Offboarding => new ScimError(StatusCodes.Status409Conflict, ScimErrorType.None, $"Tenant '{tenant}' is being offboarded."),
        _ => ScimError.NotFound($"Tenant '{tenant}' does not exist."),
    };

    private ITenantGrain Grain(TenantId tenant) => grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant));
}
