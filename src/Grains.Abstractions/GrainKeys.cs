using System.Security.Cryptography;
using System.Text;
using RfpioGateway.Scim.Filtering;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// Every grain key is built here. Azure Table grain storage rewrites <c>/ \ # ?</c> in keys to <c>_</c>, so a key
/// made of client input could collide with another tenant's. No part of a key is client text: tenants and user
/// ids are restricted alphabets without <c>_</c>, and client values (userName, externalId) enter only as a hex
/// SHA-256. After the rewrite, the first <c>_</c> still ends the tenant, so keys stay distinct.
/// </summary>
public static class GrainKeys
{
    public static string Tenant(TenantId tenant) => tenant.Value;

    /// <summary>The one tenant registry. Not a valid tenant id (it has no label shape), so it cannot collide with one.</summary>
    public const string Registry = "_registry";

    public static string User(TenantId tenant, string userId) => $"{tenant.Value}/{userId}";

    /// <summary>The uniqueness key of a userName: folded exactly as <c>filter=userName eq</c> compares.</summary>
    public static string UserName(TenantId tenant, string userName) => $"{tenant.Value}/n/{Hash(CaseFolding.Fold(userName))}";

    /// <summary>The uniqueness key of an externalId, which compares case-sensitively (caseExact).</summary>
    public static string ExternalId(TenantId tenant, string externalId) => $"{tenant.Value}/e/{Hash(externalId)}";

    public static string Shard(TenantId tenant, int shard) => $"{tenant.Value}/{shard:D4}";

    /// <summary>Splits a user grain key back into its parts.</summary>
    public static (TenantId Tenant, string UserId) ParseUser(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (TenantId.Parse(key[..slash]), key[(slash + 1)..]);
    }

    public static TenantId ParseTenantPrefix(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return TenantId.Parse(slash < 0 ? key : key[..slash]);
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
