using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.ScimApi.Auth;

namespace RfpioGateway.TenantAdmin.Console;

/// <summary>
/// Console sessions and anti-forgery, signed with a key derived from <c>Auth:TokenPepper</c>, which every silo of a
/// cluster already shares, so any silo can check a cookie another issued (no shared key ring to run).
/// <list type="bullet">
/// <item>Session cookie: tenant, credential generation, a random session id and expiry, HMAC-signed; HttpOnly,
/// SameSite=Strict, Secure except on local <c>*.localhost</c> hosts, scoped to <c>/rfpserver/admin</c>, 8 hours.
/// Sign-out ends the session id in the tenant grain, so a replayed cookie is refused on every silo.</item>
/// <item>Anti-forgery (signed double submit, bound to the session): a random nonce in its own cookie; every form
/// carries HMAC(nonce, session id), and every POST must present the value matching both cookies, so a nonce an
/// attacker planted and a value fetched with it are useless without the victim's session. Sign-in is protected the
/// same way (with no session).</item>
/// <item>Flash: a newly generated SCIM token travels to the next page in a short-lived cookie encrypted with AES-GCM,
/// so it survives a redirect to any silo; the tenant grain lets its reveal id be shown once, so neither a reload nor
/// a replayed cookie shows it again.</item>
/// </list>
/// </summary>
internal sealed class ConsoleSessions
{
    public const string Path = "/rfpserver/admin";
    public const string SessionCookie = ServiceDefaults.EdgeContract.SessionCookie;
    public const string CsrfCookie = "rfpio_csrf";
    public const string FlashCookie = "rfpio_flash";
    public const string CsrfField = "_csrf";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private static readonly TimeSpan FlashLifetime = TimeSpan.FromMinutes(2);

    private readonly byte[] _key;
    private readonly byte[] _flashKey;

    public ConsoleSessions(TokenService tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _key = tokens.Digest("rfpio admin console signing key v1");
        _flashKey = tokens.Digest("rfpio admin console flash encryption key v1");
    }

    public string IssueSession(TenantAdminIdentity identity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Seal($"session|{identity.Tenant.Value}|{identity.Generation}|{(now + Lifetime).ToUnixTimeSeconds()}|{NewNonce()}|{identity.Subject}");
    }

    /// <summary>A valid, unexpired session cookie for <paramref name="tenant"/>; null otherwise.</summary>
    public ConsoleSession? ReadSession(string? cookie, TenantId tenant, DateTimeOffset now)
    {
        var parts = Open(cookie)?.Split('|');
        if (parts is not ["session", var t, var generation, var expires, var id, var subject] || t != tenant.Value
            || !int.TryParse(generation, NumberStyles.None, CultureInfo.InvariantCulture, out var g)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var e) || now.ToUnixTimeSeconds() > e)
        {
            return null;
        }
        return new ConsoleSession(new TenantAdminIdentity(tenant, g, subject), id, DateTimeOffset.FromUnixTimeSeconds(e));
    }

    /// <summary>Encrypts a secret and its reveal id for the next page; nothing of either can be read from the cookie.</summary>
    public string SealFlash(TenantId tenant, string revealId, string secret, DateTimeOffset now)
    {
        var plain = Encoding.UTF8.GetBytes($"flash|{(now + FlashLifetime).ToUnixTimeSeconds()}|{revealId}|{secret}");
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(_flashKey, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(tenant.Value));
        }
        return Base64Url([.. nonce, .. tag, .. cipher]);
    }

    /// <summary>The reveal id and secret of an unexpired flash for <paramref name="tenant"/>; null otherwise.</summary>
    public (string RevealId, string Secret)? OpenFlash(string? cookie, TenantId tenant, DateTimeOffset now)
    {
        const int nonceSize = 12, tagSize = 16;
        byte[] bytes;
        try
        {
            bytes = cookie is null ? [] : FromBase64Url(cookie);
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length <= nonceSize + tagSize)
        {
            return null;
        }
        var plain = new byte[bytes.Length - nonceSize - tagSize];
        try
        {
            using var aes = new AesGcm(_flashKey, tagSize);
            aes.Decrypt(bytes.AsSpan(0, nonceSize), bytes.AsSpan(nonceSize + tagSize), bytes.AsSpan(nonceSize, tagSize), plain, Encoding.UTF8.GetBytes(tenant.Value));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain).Split('|') is ["flash", var expires, var revealId, var secret]
            && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var e) && now.ToUnixTimeSeconds() <= e
            ? (revealId, secret)
            : null;
    }

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The anti-forgery value for a nonce and the session it is used in (<c>""</c> before sign-in).</summary>
    public string CsrfToken(string nonce, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(sessionId);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"csrf|{nonce}|{sessionId}")));
    }

    public bool IsCsrfValid(string? nonce, string sessionId, string? token) =>
        nonce is { Length: > 0 } && token is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CsrfToken(nonce, sessionId)), Encoding.ASCII.GetBytes(token));

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
