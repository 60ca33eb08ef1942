using System.Security.Cryptography;
using System.Text;

namespace RfpioGateway.Silo.Auth;

/// <summary>
/// SCIM API tokens: 256 random bits rendered as <c>rfpscim_</c> + base64url (the prefix lets secret scanners find
/// leaked ones), stored only as an HMAC-SHA256 under the cluster's pepper.
/// </summary>
public sealed class TokenService(byte[] pepper)
{
    public const string Prefix = "rfpscim_";

    public static string NewToken()
    {
        var random = RandomNumberGenerator.GetBytes(32);
        return Prefix + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
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
