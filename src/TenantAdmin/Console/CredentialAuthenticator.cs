using RfpioGateway.Grains.Abstractions;
using RfpioGateway.ScimApi.Auth;

namespace RfpioGateway.TenantAdmin.Console;

/// <summary>Signs in with the operator-issued tenant-admin credential, checked by its keyed hash in the tenant grain.</summary>
internal sealed class CredentialAuthenticator(IGrainFactory grains, TokenService tokens) : ITenantAdminAuthenticator
{
    public async Task<TenantAdminIdentity?> AuthenticateAsync(TenantId tenant, string credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (!credential.StartsWith(TokenService.AdminPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var generation = await Grain(tenant).AuthorizeAdminAsync(tokens.Digest(credential.Trim()));
        return generation is { } g ? new TenantAdminIdentity(tenant, g, "tenant admin") : null;
    }

    public async Task<bool> IsCurrentAsync(TenantAdminIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var info = await Grain(identity.Tenant).GetInfoAsync();
        return info.Exists && !info.Offboarding && info.AdminCredentialIssuedAt is not null && info.AdminGeneration == identity.Generation;
    }

    private ITenantGrain Grain(TenantId tenant) => grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant));
}
