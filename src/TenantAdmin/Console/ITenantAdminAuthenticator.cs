using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.TenantAdmin.Console;

/// <summary>
/// How a tenant admin proves who they are. Today: the credential an operator issued (<see cref="CredentialAuthenticator"/>).
/// An OpenID Connect login replaces this and the sign-in page's form handler; sessions, anti-forgery and every page
/// stay as they are, because they only see a <see cref="TenantAdminIdentity"/>.
/// </summary>
internal interface ITenantAdminAuthenticator
{
    /// <summary>The identity for <paramref name="credential"/> on <paramref name="tenant"/>, or null.</summary>
    Task<TenantAdminIdentity?> AuthenticateAsync(TenantId tenant, string credential);

    /// <summary>Whether a session's identity still stands (the credential was not revoked or replaced since).</summary>
    Task<bool> IsCurrentAsync(TenantAdminIdentity identity);
}
