using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RfpioGateway.Scim.Filtering;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// Every grain key is built here. Azure Table grain storage rewrites <c>/ \ # ?</c> in keys to <c>_</c>, so a key
/// made of client input could collide with another tenant's. No part of a key is client text: tenants and resource
/// ids are restricted alphabets without <c>_</c>, and client values (userName, externalId) enter only as a hex
/// SHA-256. After the rewrite, the first <c>_</c> still ends the tenant, so keys stay distinct. Keys are stored
/// (they name rows), so their shapes never change: a new resource type gets new prefixes instead.
/// </summary>
public static class GrainKeys
{
    public static string Tenant(TenantId tenant) => tenant.Value;

    /// <summary>The one tenant registry. Not a valid tenant id (it has no label shape), so it cannot collide with one.</summary>
    public const string Registry = "_registry";

    /// <summary>A resource of any type: the grain type tells the types apart, so ids need no prefix.</summary>
    public static string Resource(TenantId tenant, string id) => $"{tenant.Value}/{id}";

    /// <summary>A user (the most common resource key).</summary>
    public static string User(TenantId tenant, string userId) => Resource(tenant, userId);

    /// <summary>
    /// The uniqueness key of one value of a unique attribute: folded exactly as <c>filter=… eq</c> compares
    /// (case-insensitively unless the attribute is caseExact).
    /// </summary>
    public static string Unique(TenantId tenant, UniqueAttribute attribute, string value)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(value);
        return $"{tenant.Value}/{attribute.KeyPrefix}/{Hash(attribute.CaseExact ? value : CaseFolding.Fold(value))}";
    }

    public static string UserName(TenantId tenant, string userName) => Unique(tenant, UserResource.UserName, userName);

    public static string ExternalId(TenantId tenant, string externalId) => Unique(tenant, UserResource.ExternalId, externalId);

    /// <summary>A directory shard of one resource type: <c>{tenant}/{prefix}{shard:D4}</c>.</summary>
    public static string Shard(TenantId tenant, string prefix, int shard) =>
        $"{tenant.Value}/{prefix}{shard.ToString("D4", CultureInfo.InvariantCulture)}";

    /// <summary>A user directory shard.</summary>
    public static string Shard(TenantId tenant, int shard) => Shard(tenant, UserResource.Type.ShardPrefix, shard);

    /// <summary>An event stream of a tenant; stream ids are 32 hex digits, like resource ids.</summary>
    public static string Stream(TenantId tenant, string streamId) => $"{tenant.Value}/{streamId}";

    /// <summary>Splits a resource grain key back into its parts.</summary>
    public static (TenantId Tenant, string Id) ParseResource(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (TenantId.Parse(key[..slash]), key[(slash + 1)..]);
    }

    /// <summary>The shard prefix of a shard key (what stands between the tenant and the number).</summary>
    public static string ParseShardPrefix(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var rest = key.AsSpan(key.IndexOf('/', StringComparison.Ordinal) + 1);
        return rest[..^4].ToString();
    }

    /// <summary>The key prefix of a uniqueness key (<c>{tenant}/{prefix}/{hash}</c>).</summary>
    public static string ParseUniquePrefix(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        return parts[1];
    }

    public static TenantId ParseTenantPrefix(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return TenantId.Parse(slash < 0 ? key : key[..slash]);
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
