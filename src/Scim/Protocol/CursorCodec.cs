using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RfpioGateway.Scim.Errors;

namespace RfpioGateway.Scim.Protocol;

/// <summary>
/// Cursors as opaque, signed strings: the position and when it was issued, with an HMAC over them and the query
/// they belong to (tenant, resource type, filter). The server keeps no state per walk, a cursor from another tenant
/// or another query fails the HMAC and is <c>invalidCursor</c>, and one older than the timeout is
/// <c>expiredCursor</c> (RFC 9865 §2.3).
/// </summary>
public sealed class CursorCodec
{
    private const int MacBytes = 16;
    private readonly byte[] _key;

    public CursorCodec(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
    }

    /// <param name="scope">What the cursor may be used with: the tenant, type and filter of the query.</param>
    public string Issue(CursorPosition position, string scope)
    {
        ArgumentNullException.ThrowIfNull(position);
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{position.ShardCount}.{position.Shard}.{position.AfterId}.{position.Issued.ToUnixTimeSeconds()}"));
        return $"{Base64Url(payload)}.{Base64Url(Mac(payload, scope))}";
    }

    public ScimResult<CursorPosition> Read(string cursor, string scope, DateTimeOffset now, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var invalid = ScimError.InvalidCursor(
            "The cursor was not issued for this query: send an empty cursor for the first page, then the nextCursor of the page before, with the same filter.");
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || cursor.Length > 512 || !TryDecode(cursor[..dot], out var payload) || !TryDecode(cursor[(dot + 1)..], out var mac)
            || mac.Length != MacBytes || !CryptographicOperations.FixedTimeEquals(mac, Mac(payload, scope)))
        {
            return invalid;
        }
        var parts = Encoding.UTF8.GetString(payload).Split('.');
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var shardCount)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
        {
            return invalid;
        }
        var position = new CursorPosition(shardCount, shard, parts[2], DateTimeOffset.FromUnixTimeSeconds(issued));
        if (now - position.Issued > timeout)
        {
            return ScimError.ExpiredCursor(
                $"The cursor has expired: use each nextCursor within {(int)timeout.TotalSeconds} seconds (pagination.cursorTimeout), or start again with an empty cursor.");
        }
        return ScimResult<CursorPosition>.Success(position);
    }

    private byte[] Mac(byte[] payload, string scope)
    {
        var scoped = Encoding.UTF8.GetBytes(scope + "\n");
        var message = new byte[scoped.Length + payload.Length];
        scoped.CopyTo(message, 0);
        payload.CopyTo(message, scoped.Length);
        return HMACSHA256.HashData(_key, message)[..MacBytes];
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) && (bytes = bytes[..written]).Length > 0;
    }
}
