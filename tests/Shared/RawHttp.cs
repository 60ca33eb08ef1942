using System.Net.Sockets;
using System.Text;

namespace RfpioGateway.Tests.Shared;

/// <summary>
/// Requests as raw bytes over TCP, for what HttpClient refuses to send: odd methods, non-ASCII header bytes,
/// duplicate Host headers, absolute-form targets, unnormalised paths. Each request closes its connection.
/// </summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? ContentType => Headers.TryGetValue("content-type", out var type) ? type : null;
    }

    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line) and an optional body.</summary>
    public static async Task<Answer> SendAsync(Uri server, string head, byte[]? body = null, Encoding? headEncoding = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port, cancel.Token);
        var stream = client.GetStream();
        var bytes = (headEncoding ?? Encoding.UTF8).GetBytes(head.TrimEnd('\r', '\n') + "\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(bytes, cancel.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, cancel.Token);
        }
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancel.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A server that answered and then reset the connection (it did not read our whole body).
        }
        return Parse(received.ToArray());
    }

    private static Answer Parse(byte[] response)
    {
        var text = Encoding.UTF8.GetString(response);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidDataException($"No complete HTTP answer: '{text}'");
        }
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        // The head is ASCII, so its length in characters is its length in bytes; chunk sizes count bytes.
        var body = response.AsSpan(Encoding.UTF8.GetByteCount(text[..end]) + 4).ToArray();
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }
        return new Answer(status, headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Unchunk(byte[] body)
    {
        var result = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.AsSpan(position).IndexOf("\r\n"u8) + position;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body, position, lineEnd - position).Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }
            result.Write(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
        return result.ToArray();
    }
}
