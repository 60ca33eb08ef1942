using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using RfpioGateway.ServiceDefaults;

namespace RfpioGateway.Gateway.RateLimiting;

/// <summary>
/// Which credentials a silo has accepted for which tenant, learnt from the silo's answers (it marks an answer whose
/// credential it checked and accepted with <see cref="Header"/>, which never leaves the gateway): a SCIM bearer token,
/// or a console session cookie. Only requests carrying such a credential spend the tenant's rate budget; the rest
/// share the much smaller unauthenticated one, so a flood cannot lock out the tenant's IdP or its admin. The gateway
/// holds no secret and makes no call for this: a credential is known after the first answer a silo gives it, and
/// forgotten on the first 401. Only a SHA-256 of it is kept, in a bounded cache.
/// </summary>
internal sealed class AcceptedTokens : IDisposable
{
    /// <summary>Set by the silo on an answer to a request whose credential it accepted for the host's tenant.</summary>
    public const string Header = EdgeContract.TokenAcceptedHeader;

    private const string KeyItem = "rfpio.token-key";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>Whether the request's token was accepted for the tenant; keeps the hashed key for <see cref="Learn"/>.</summary>
    public bool IsAccepted(HttpContext context, string tenant)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Key(tenant, context.Request) is not { } key)
        {
            return false;
        }
        context.Items[KeyItem] = key;
        // A hit also renews the sliding lifetime, so a token in use is never relearnt.
        return _cache.TryGetValue(key, out _);
    }

    /// <summary>Learns from a silo's answer: remembers an accepted token, forgets one the silo refused.</summary>
    public void Learn(HttpContext context, bool wasAccepted, int status, bool accepted)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[KeyItem] is not ValueTuple<string, UInt128> key)
        {
            return;
        }
        if (accepted && !wasAccepted)
        {
            _cache.Set(key, true, new MemoryCacheEntryOptions { SlidingExpiration = Lifetime, Size = 1 });
        }
        else if (status == StatusCodes.Status401Unauthorized)
        {
            _cache.Remove(key);
        }
    }

    public void Dispose() => _cache.Dispose();

    private static (string Tenant, UInt128 Credential)? Key(string tenant, HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        var header = authorization.Count == 1 ? authorization[0] : null;
        string credential;
        if (header is { Length: > 7 } && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            credential = header[7..].Trim();
        }
        else if (authorization.Count == 0 && request.Cookies[EdgeContract.SessionCookie] is { Length: > 0 } session)
        {
            credential = "session " + session;
        }
        else
        {
            return null;
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(credential), hash);
        return (tenant, System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash));
    }
}
