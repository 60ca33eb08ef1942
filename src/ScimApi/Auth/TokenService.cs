using System.Security.Cryptography;
using System.Text;

namespace RfpioGateway.ScimApi.Auth;

/// <summary>
/// SCIM API tokens and tenant-admin credentials: 256 random bits rendered as <c>rfpscim_</c> / <c>rfpadm_</c> +
/// base64url (the prefix lets secret scanners find leaked ones), stored only as an HMAC-SHA256 under the cluster's
/// pepper.
/// </summary>
internal sealed class TokenService(byte[] pepper)
{
    public const string Prefix = "rfpscim_";

    /// <summary>The prefix of a tenant-admin console credential.</summary>
    public const string AdminPrefix = "rfpadm_";

    public static string NewToken() => NewSecret(Prefix);

    public static string NewAdminCredential() => NewSecret(AdminPrefix);

    private static string NewSecret(string prefix)
    {
        var random = RandomNumberGenerator.GetBytes(32);
        return prefix + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public byte[] Digest(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(token));
    }

    /// <summary>A short, non-secret name for a token, safe to show and log: 8 hex digits of its SHA-256.</summary>
    public static string Fingerprint(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..8];
    }
}
