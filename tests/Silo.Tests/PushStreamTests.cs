using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Push streams (RFC 8935) against a real HTTP receiver on loopback: every event arrives once it is accepted, in
/// feed order, as <c>application/secevent+jwt</c>, also after the receiver refused for a while; internal and
/// plain-http endpoints are refused when the stream is created.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class PushStreamTests : IAsyncLifetime
{
    private readonly SiloServer _silo = new(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N")))
    {
        Settings = ["Events:AllowLoopbackHttp=true", "EventFeed:RetryBaseMilliseconds=20", "EventFeed:MaxRetryDelaySeconds=1"],
    };

    public Task InitializeAsync() => _silo.InitializeAsync();

    public Task DisposeAsync() => _silo.DisposeAsync();

    [Fact]
    public async Task Push_ReceiverRefusesThenRecovers_EveryEventArrivesInFeedOrder()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 3);
        var token = await _silo.CreateTenantAsync("push-order");
        var stream = await CreateAsync("push-order", $$"""{"delivery":"push","endpoint":"{{receiver.Url}}"}""");
        Assert.Equal(HttpStatusCode.Created, stream.StatusCode);
        var id = (await (await _silo.Scim(HttpMethod.Post, "push-order", token, "/Users", """{"userName":"p@example.com"}""")).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await _silo.Scim(HttpMethod.Patch, "push-order", token, $"/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}""");
        await _silo.Scim(HttpMethod.Delete, "push-order", token, $"/Users/{id}");

        var streamId = (await stream.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var accepted = await receiver.WaitForAsync(3, async () =>
            await (await _silo.Admin(HttpMethod.Get, $"/admin/v1/tenants/push-order/streams/{streamId}")).Content.ReadAsStringAsync());

        Assert.True(receiver.Refused >= 3);
        Assert.All(accepted, a => Assert.Equal("application/secevent+jwt", a.ContentType));
        var claims = accepted.Select(a => JsonSerializer.Deserialize<JsonElement>(Base64Url(a.Body.Split('.')[1]))).ToList();
        Assert.Equal(["urn:ietf:params:scim:event:prov:create:notice", "urn:ietf:params:scim:event:prov:deactivate", "urn:ietf:params:scim:event:prov:delete"],
            claims.Select(c => c.GetProperty("events").EnumerateObject().Single().Name));
        Assert.Equal(claims.Select(c => c.GetProperty("jti").GetString()).Distinct().Count(), claims.Count);
    }

    [Theory]
    [InlineData("https://10.1.2.3/events")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("http://app.example.com/events")]
    [InlineData("ftp://app.example.com/events")]
    public async Task CreateStream_InternalOrPlainHttpEndpoint_400(string endpoint)
    {
        await _silo.CreateTenantAsync("push-refused");

        var response = await CreateAsync("push-refused", $$"""{"delivery":"push","endpoint":"{{endpoint}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("endpoint", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> CreateAsync(string tenant, string body) =>
        _silo.Admin(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/streams", body);

    private static byte[] Base64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4));

    /// <summary>A receiver on a free loopback port that answers 503 to its first requests, then 202.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string ContentType, string Body)> _accepted = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private int _refused;

        private Receiver(WebApplication app) => _app = app;

        public string Url { get; private set; } = "";

        public int Refused => _refused;

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/events", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                if (Interlocked.Increment(ref receiver._refused) <= failFirst)
                {
                    return Results.StatusCode(503);
                }
                Interlocked.Decrement(ref receiver._refused);
                receiver._accepted.Enqueue((context.Request.ContentType ?? "", body));
                receiver._arrived.Release();
                return Results.StatusCode(202);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = address + "/events";
            return receiver;
        }

        /// <param name="status">What the stream says of itself, for the failure message.</param>
        public async Task<List<(string ContentType, string Body)>> WaitForAsync(int count, Func<Task<string>> status)
        {
            for (var i = 0; i < count; i++)
            {
                if (!await _arrived.WaitAsync(TimeSpan.FromSeconds(30)))
                {
                    Assert.Fail($"only {i} of {count} events arrived; the stream: {await status()}");
                }
            }
            return [.. _accepted];
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _arrived.Dispose();
        }
    }
}
