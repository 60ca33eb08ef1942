using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace RfpioGateway.Gateway.RateLimiting;

/// <summary>
/// Which bearer tokens a silo has accepted for which tenant, learnt from the silo's answers (it marks an answer
/// whose token it checked and accepted with <see cref="Header"/>, which never leaves the gateway). Only requests
/// carrying such a token spend the tenant's rate budget; the rest share the much smaller unauthenticated one. The
/// gateway holds no secret and makes no call for this: a token is known after the first answer a silo gives it, and
/// forgotten on the first 401. Only a SHA-256 of the token is kept, in a bounded cache.
/// </summary>
public sealed class AcceptedTokens : IDisposable
{
    /// <summary>Set by the silo on an answer to a request whose token it accepted for the host's tenant.</summary>
    public const string Header = "X-Rfpio-Token-Accepted";

    private const string KeyItem = "rfpio.token-key";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>Whether the request's token was accepted for the tenant; keeps the hashed key for <see cref="Learn"/>.</summary>
    public bool IsAccepted(HttpContext context, string tenant)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Key(tenant, context.Request.Headers.Authorization) is not { } key)
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

    private static (string Tenant, UInt128 Token)? Key(string tenant, StringValues authorization)
    {
        var header = authorization.Count == 1 ? authorization[0] : null;
        if (header is null || header.Length <= 7 || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim()), hash);
        return (tenant, System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash));
    }
}
