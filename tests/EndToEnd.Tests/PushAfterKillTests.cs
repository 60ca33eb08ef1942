using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// A single SQLite node with a push stream to a real receiver, SIGKILLed while an IdP creates users, then started
/// again on the same file with no further SCIM traffic: the stream wakes by itself and every acknowledged create's
/// event arrives. Delivery is at least once: sequences 1…N with no gap, and a SET delivered twice is the same SET
/// (same jti, same claims but its issue time).
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class PushAfterKillTests : IDisposable
{
    private const string AdminKey = "push-kill-operator-key";
    private const string Tenant = "pushkill";

    private readonly SingleNode _node = new(Tenant, AdminKey, "Events:AllowLoopbackHttp=true", "EventFeed:RetryBaseMilliseconds=20", "EventFeed:MaxRetryDelaySeconds=1");

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task KillSilo_WhilePushing_EveryAcknowledgedEventArrivesAfterRestartWithStableJtis()
    {
        await using var receiver = await Receiver.StartAsync();
        var acknowledged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var stop = new CancellationTokenSource();
        string token;
        using (var silo = _node.Start())
        {
            await silo.WaitUntilReadyAsync(_node.Http);
            token = await _node.TenantAsync(silo.Address);
            var stream = await _node.AdminAsync(silo.Address, HttpMethod.Post, $"/admin/v1/tenants/{Tenant}/streams", $$"""{"delivery":"push","endpoint":"{{receiver.Url}}"}""");
            stream.EnsureSuccessStatusCode();
            async Task Work(int worker)
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        using var created = await _node.ScimAsync(silo.Address, token, HttpMethod.Post, "/Users", $$"""{"userName":"w{{worker}}-{{i}}@example.com"}""");
                        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                        acknowledged[JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!] = true;
                    }
                    catch (HttpRequestException)
                    {
                        return; // the node died under this request
                    }
                }
            }
            var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() => Work(w))).ToList();
            // Kill while deliveries are behind the acknowledgements, so some events are owed across the restart.
            await Eventually.TrueAsync(() => acknowledged.Count >= 60 && receiver.Distinct > 5, because: "the node served creates and pushed some");
            silo.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
        var owed = acknowledged.Keys.Count(id => !receiver.Created.ContainsKey(id));

        using var restarted = _node.Start();
        await restarted.WaitUntilReadyAsync(_node.Http);
        await Eventually.TrueAsync(() => acknowledged.Keys.All(receiver.Created.ContainsKey), seconds: 60,
            because: $"the restarted node pushes the {owed} events it owed without another SCIM request");

        var sequences = receiver.BySequence.Keys.Order().ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.All(receiver.BySequence, set => Assert.Single(set.Value.Distinct()));
    }

    /// <summary>An RFC 8935 receiver on loopback: accepts every SET (202) and keeps each one's claims by sequence.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app) => _app = app;

        public string Url { get; private set; } = "";

        /// <summary>The claims of every delivery, by the feed sequence in its jti (<c>tenant:seq</c>).</summary>
        public ConcurrentDictionary<long, ConcurrentBag<string>> BySequence { get; } = new();

        /// <summary>Users whose create event arrived, and how many times.</summary>
        public ConcurrentDictionary<string, int> Created { get; } = new(StringComparer.Ordinal);

        public int Distinct => BySequence.Count;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/events", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var jws = await reader.ReadToEndAsync();
                var payload = jws.Split('.')[1].Replace('-', '+').Replace('_', '/');
                var claims = Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=')));
                using var parsed = JsonDocument.Parse(claims);
                var root = parsed.RootElement;
                var sequence = long.Parse(root.GetProperty("jti").GetString()!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
                // A redelivery is signed again, so only its issue time may differ from the first delivery.
                var withoutIat = System.Text.Json.Nodes.JsonNode.Parse(claims)!.AsObject();
                withoutIat.Remove("iat");
                receiver.BySequence.GetOrAdd(sequence, _ => []).Add(withoutIat.ToJsonString());
                if (root.GetProperty("events").EnumerateObject().Single().Name.EndsWith(":create:notice", StringComparison.Ordinal))
                {
                    var id = root.GetProperty("sub_id").GetProperty("uri").GetString()!.Split('/')[^1];
                    receiver.Created.AddOrUpdate(id, 1, (_, n) => n + 1);
                }
                return Results.StatusCode(StatusCodes.Status202Accepted);
            });
            await app.StartAsync();
            receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/events";
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
