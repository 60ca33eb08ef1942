using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Silo.Auth;

namespace RfpioGateway.Silo.AdminConsole;

/// <summary>
/// Console sessions and anti-forgery, signed with a key derived from <c>Auth:TokenPepper</c>, which every silo of a
/// cluster already shares, so any silo can check a cookie another issued (no shared key ring to run).
/// <list type="bullet">
/// <item>Session cookie: tenant, credential generation and expiry, HMAC-signed; HttpOnly, SameSite=Strict, Secure
/// except on local <c>*.localhost</c> hosts, scoped to <c>/rfpserver/admin</c>, 8 hours.</item>
/// <item>Anti-forgery (signed double submit): a random nonce in its own cookie; every form carries HMAC(nonce), and
/// every POST must present the value matching its cookie. Sign-in is protected the same way.</item>
/// <item>Flash: a newly generated SCIM token travels to the next page in a short-lived signed cookie, so it is shown
/// once, survives a redirect to any silo, and is gone on reload.</item>
/// </list>
/// </summary>
public sealed class ConsoleSessions
{
    public const string Path = "/rfpserver/admin";
    public const string SessionCookie = "rfpio_admin";
    public const string CsrfCookie = "rfpio_csrf";
    public const string FlashCookie = "rfpio_flash";
    public const string CsrfField = "_csrf";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private static readonly TimeSpan FlashLifetime = TimeSpan.FromMinutes(2);

    private readonly byte[] _key;

    public ConsoleSessions(TokenService tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _key = tokens.Digest("rfpio admin console signing key v1");
    }

    public string IssueSession(TenantAdminIdentity identity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Seal($"session|{identity.Tenant.Value}|{identity.Generation}|{(now + Lifetime).ToUnixTimeSeconds()}|{identity.Subject}");
    }

    /// <summary>The identity of a valid, unexpired session cookie for <paramref name="tenant"/>; null otherwise.</summary>
    public TenantAdminIdentity? ReadSession(string? cookie, TenantId tenant, DateTimeOffset now)
    {
        var parts = Open(cookie)?.Split('|');
        if (parts is not ["session", var t, var generation, var expires, var subject] || t != tenant.Value
            || !int.TryParse(generation, NumberStyles.None, CultureInfo.InvariantCulture, out var g)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var e) || now.ToUnixTimeSeconds() > e)
        {
            return null;
        }
        return new TenantAdminIdentity(tenant, g, subject);
    }

    public string SealFlash(TenantId tenant, string secret, DateTimeOffset now) =>
        Seal($"flash|{tenant.Value}|{(now + FlashLifetime).ToUnixTimeSeconds()}|{secret}");

    public string? OpenFlash(string? cookie, TenantId tenant, DateTimeOffset now) =>
        Open(cookie)?.Split('|') is ["flash", var t, var expires, var secret] && t == tenant.Value
            && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var e) && now.ToUnixTimeSeconds() <= e
            ? secret
            : null;

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string CsrfToken(string nonce)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("csrf|" + nonce)));
    }

    public bool IsCsrfValid(string? nonce, string? token) =>
        nonce is { Length: > 0 } && token is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CsrfToken(nonce)), Encoding.ASCII.GetBytes(token));

    private string Seal(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        return Base64Url(bytes) + "." + Base64Url(HMACSHA256.HashData(_key, bytes));
    }

    private string? Open(string? sealedValue)
    {
        if (sealedValue?.Split('.') is not [var payload, var signature])
        {
            return null;
        }
        try
        {
            var bytes = FromBase64Url(payload);
            return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, bytes), FromBase64Url(signature)) ? Encoding.UTF8.GetString(bytes) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
    }
}
