using Orleans.Concurrency;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// One tenant: whether it exists, its Auto User Provisioning switch, and the keyed hash of its SCIM token.
/// Reads interleave, so checking tokens never queues a tenant's traffic behind one grain turn.
/// </summary>
[Alias("rfpio.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant if needed (idempotent). Shard count is fixed at creation.</summary>
    [Alias("Ensure")]
    Task<TenantInfo> EnsureAsync(int shardCount);

    /// <remarks>Interleaves with everything: user grains ask it while this tenant's offboarding waits on them.</remarks>
    [Alias("GetInfo"), AlwaysInterleave]
    Task<TenantInfo> GetInfoAsync();

    /// <param name="tokenDigest">The keyed hash of the presented token; the token itself never reaches a grain.</param>
    [Alias("Authorize"), ReadOnly]
    Task<TenantAccess> AuthorizeAsync(byte[] tokenDigest);

    [Alias("SetProvisioning")]
    Task<TenantInfo> SetProvisioningAsync(bool enabled);

    /// <summary>Replaces the token (the old one stops working at once); refused while offboarding.</summary>
    [Alias("SetToken")]
    Task<TenantChange> SetTokenAsync(byte[] tokenDigest, string fingerprint, DateTimeOffset issuedAt);

    [Alias("RevokeToken")]
    Task<TenantChange> RevokeTokenAsync();

    /// <summary>Replaces the tenant-admin console credential, ending every console session; refused while offboarding.</summary>
    [Alias("SetAdminCredential")]
    Task<TenantChange> SetAdminCredentialAsync(byte[] credentialDigest, DateTimeOffset issuedAt);

    /// <summary>Revokes the console credential, ending every console session.</summary>
    [Alias("RevokeAdminCredential")]
    Task<TenantChange> RevokeAdminCredentialAsync();

    /// <summary>The admin generation when <paramref name="credentialDigest"/> is the tenant's console credential; otherwise null.</summary>
    [Alias("AuthorizeAdmin"), ReadOnly]
    Task<int?> AuthorizeAdminAsync(byte[] credentialDigest);

    /// <summary>
    /// Ends one console session before it expires (sign-out), on every silo: its id is remembered until
    /// <paramref name="expires"/>. Should too many be remembered at once, every session of the tenant ends instead.
    /// </summary>
    [Alias("EndAdminSession")]
    Task EndAdminSessionAsync(string sessionId, DateTimeOffset expires);

    /// <summary>Whether a console session was signed out.</summary>
    [Alias("IsAdminSessionEnded"), AlwaysInterleave]
    Task<bool> IsAdminSessionEndedAsync(string sessionId);

    /// <summary>Allows the console to show a newly generated token once, under this reveal id (replacing any earlier one).</summary>
    [Alias("OfferTokenReveal")]
    Task OfferTokenRevealAsync(string revealId);

    /// <summary>True the first time it is asked for the current reveal id; false for any other id and ever after.</summary>
    [Alias("ConsumeTokenReveal")]
    Task<bool> ConsumeTokenRevealAsync(string revealId);

    /// <summary>
    /// Offboards the tenant: at once it stops answering (token revoked, provisioning off), then every user is
    /// deleted, up to <paramref name="inlineBudget"/> of them within this call and the rest in the background,
    /// and finally the tenant itself. Returns whether it is gone already.
    /// </summary>
    [Alias("Offboard")]
    Task<bool> OffboardAsync(int inlineBudget);

    /// <summary>Restarts an unfinished offboarding's background purge if it is not running (the registry calls this).</summary>
    /// <remarks>Interleaves: the purge itself calls the registry, which may be waiting on this call.</remarks>
    [Alias("ResumeOffboarding"), AlwaysInterleave]
    Task<TenantInfo> ResumeOffboardingAsync();

    /// <summary>Registers an event stream (the stream grain holds its configuration); at most a few per tenant.</summary>
    [Alias("AddStream")]
    Task<TenantChange> AddStreamAsync(string streamId);

    [Alias("RemoveStream")]
    Task<TenantChange> RemoveStreamAsync(string streamId);

    /// <remarks>Interleaves with everything: the feed asks it while this tenant's offboarding deletes resources.</remarks>
    [Alias("GetStreams"), AlwaysInterleave]
    Task<IReadOnlyList<string>> GetStreamsAsync();
}
