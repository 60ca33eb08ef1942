using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RfpioGateway.Grains;
using RfpioGateway.ScimApi;
using RfpioGateway.TenantAdmin.Operator;

namespace RfpioGateway.TenantAdmin.Events;

/// <summary>
/// RFC 8935 push: one SET per <c>POST</c> as <c>application/secevent+jwt</c>. <c>202</c> is delivered; <c>400</c>
/// with an RFC 8935 error body is a refusal of that SET (kept as the stream's last error, not retried); anything else
/// is retried by the stream. The connection goes only to an address <see cref="EndpointRules"/> allows, checked when
/// connecting (so a name that re-resolves to an internal address later is refused too).
/// </summary>
internal sealed class HttpEventDelivery : IEventDelivery, IDisposable
{
    private readonly HttpClient _http;
    private readonly SecurityEventTokens _tokens;
    private readonly SiloTenancyOptions _tenancy;

    public HttpEventDelivery(SecurityEventTokens tokens, IOptions<EventOptions> options, IOptions<SiloTenancyOptions> tenancy)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tenancy);
        _tokens = tokens;
        _tenancy = tenancy.Value;
        var rules = new EndpointRules(options.Value);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                var allowed = addresses.FirstOrDefault(rules.Allows)
                    ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to addresses events may not be sent to ({string.Join(", ", addresses.Select(a => a.ToString()))}).");
                var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(allowed, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.PushTimeoutSeconds)) };
    }

    /// <summary>The silo's own source: a push is a span linked to the trace of the SCIM request that made the change.</summary>
    private static readonly System.Diagnostics.ActivitySource Source = new("RfpioGateway.Silo");

    public async Task<PushOutcome> PushAsync(TenantId tenant, EventStreamConfig config, ChangeEvent change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(change);
        System.Diagnostics.ActivityLink[] links = System.Diagnostics.ActivityContext.TryParse(change.TraceId, null, out var cause) ? [new(cause)] : [];
        using var activity = Source.StartActivity("push SCIM event", System.Diagnostics.ActivityKind.Producer, default(System.Diagnostics.ActivityContext), links: links);
        activity?.SetTag("rfpio.tenant", tenant.Value);
        activity?.SetTag("rfpio.event.sequence", change.Sequence);
        var set = _tokens.Sign(tenant, AdminEndpoints.TenantUrl(tenant, _tenancy), config, change);
        using var request = new HttpRequestMessage(HttpMethod.Post, config.Endpoint) { Content = new StringContent(set) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/secevent+jwt");
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return PushOutcome.Accepted;
            }
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest && ErrorOf(body) is { } refused)
            {
                return PushOutcome.Refused($"{SecurityEventTokens.JtiOf(tenant, change.Sequence)}: {refused}");
            }
            return PushOutcome.Failed($"{(int)response.StatusCode} from {config.Endpoint}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return PushOutcome.Failed($"{config.Endpoint}: {e.Message}");
        }
    }

    /// <summary>RFC 8935 §2.3: <c>{"err": …, "description": …}</c>.</summary>
    private static string? ErrorOf(string body)
    {
        try
        {
            var error = JsonSerializer.Deserialize<JsonElement>(body);
            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("err", out var err))
            {
                var text = error.TryGetProperty("description", out var description) ? $"{err} {description}" : err.ToString();
                return text.Length > 300 ? text[..300] : text;
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    public void Dispose() => _http.Dispose();
}
