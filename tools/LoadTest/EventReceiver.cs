using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RfpioGateway.LoadTest;

/// <summary>
/// The application's side of change events during a load test: an RFC 8935 push receiver on loopback that every
/// tenant's push stream delivers to. It matches each SET to the SCIM acknowledgement of the change it reports (by
/// resource id and version, or by id for a delete) and reports the lag between the two, any acknowledged change whose
/// event never came, any SET that came more than once, and whether each resource's events came in version order.
/// With <see cref="FailFor"/> it answers <c>503</c> for that long after the first SET, to show catching up.
/// </summary>
public sealed class EventReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, double> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _delivered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _jtis = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastVersion = new(StringComparer.Ordinal);
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Lock _times = new();
    private long _refused;
    private long _outOfOrder;
    private double _firstSet = -1;
    private double _lastSet;

    private EventReceiver(WebApplication app, TimeSpan failFor)
    {
        _app = app;
        FailFor = failFor;
    }

    public string Url { get; private set; } = "";

    public TimeSpan FailFor { get; }

    private double Now => Stopwatch.GetElapsedTime(_start).TotalSeconds;

    public static async Task<EventReceiver> StartAsync(TimeSpan failFor)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new EventReceiver(app, failFor);
        app.MapPost("/events", (Delegate)receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/events";
        return receiver;
    }

    /// <summary>A SCIM write was acknowledged: <paramref name="version"/> is its ETag, or null for a delete.</summary>
    public void Acknowledged(string tenant, string resourceId, string? version) =>
        _acknowledged.TryAdd(Key(tenant, resourceId, version), Now);

    public int Missing => _acknowledged.Keys.Count(k => !_delivered.ContainsKey(k));

    /// <summary>Waits until every acknowledged change's event has come, or the time is up; true when none is missing.</summary>
    public async Task<bool> DrainAsync(TimeSpan limit, CancellationToken cancellation)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Missing > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100, cancellation);
        }
        return Missing == 0;
    }

    public Summary Summarize()
    {
        var lags = _acknowledged.Where(a => _delivered.ContainsKey(a.Key)).Select(a => Math.Max(0, _delivered[a.Key] - a.Value) * 1000).Order().ToList();
        double P(double p) => lags.Count == 0 ? 0 : lags[(int)Math.Min(lags.Count - 1, Math.Round(p / 100 * (lags.Count - 1)))];
        var recoveredAt = _firstSet < 0 ? 0 : _firstSet + FailFor.TotalSeconds;
        return new Summary(_acknowledged.Count, _jtis.Count, Missing, _jtis.Count(j => j.Value > 1), Interlocked.Read(ref _outOfOrder),
            Interlocked.Read(ref _refused), P(50), P(99), lags.Count == 0 ? 0 : lags[^1],
            FailFor > TimeSpan.Zero && _lastSet > recoveredAt ? _lastSet - recoveredAt : null);
    }

    /// <param name="CatchUpSeconds">With <see cref="FailFor"/>: from the receiver's recovery to the last SET it accepted.</param>
    public sealed record Summary(int Acknowledged, int Received, int Missing, int Duplicated, long OutOfOrder, long Refused,
        double LagP50Ms, double LagP99Ms, double LagMaxMs, double? CatchUpSeconds);

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var now = Now;
        double first;
        lock (_times)
        {
            first = _firstSet = _firstSet < 0 ? now : _firstSet;
        }
        if (now - first < FailFor.TotalSeconds)
        {
            Interlocked.Increment(ref _refused);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        using var reader = new StreamReader(context.Request.Body);
        var jws = await reader.ReadToEndAsync(context.RequestAborted);
        using var claims = JsonDocument.Parse(Base64Url(jws.Split('.')[1]));
        var root = claims.RootElement;
        var jti = root.GetProperty("jti").GetString()!;
        var tenant = jti[..jti.LastIndexOf(':')];
        var resource = root.GetProperty("sub_id").GetProperty("uri").GetString()!.Split('/')[^1];
        var (uri, payload) = root.GetProperty("events").EnumerateObject().Select(p => (p.Name, p.Value)).Single();
        var version = payload.TryGetProperty("version", out var v) ? v.GetString() : null;
        _delivered.TryAdd(Key(tenant, resource, uri.EndsWith(":delete", StringComparison.Ordinal) ? null : version), now);
        _jtis.AddOrUpdate(jti, 1, (_, n) => n + 1);
        if (VersionNumber(version) is { } number)
        {
            // Per resource, each event's version is above the one before (a redelivery of the same one aside).
            var last = _lastVersion.GetOrAdd($"{tenant}/{resource}", 0);
            if (number < last)
            {
                Interlocked.Increment(ref _outOfOrder);
            }
            _lastVersion[$"{tenant}/{resource}"] = Math.Max(last, number);
        }
        lock (_times)
        {
            _lastSet = Math.Max(_lastSet, now);
        }
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static string Key(string tenant, string resourceId, string? version) => $"{tenant}/{resourceId}/{version ?? "delete"}";

    private static long? VersionNumber(string? etag) =>
        etag is { Length: > 4 } && long.TryParse(etag.AsSpan(3, etag.Length - 4), out var number) ? number : null;

    private static string Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '=')));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
