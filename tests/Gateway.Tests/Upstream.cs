using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RfpioGateway.Gateway.Tests;

/// <summary>
/// A real Kestrel host standing in for a silo: it answers SCIM paths with what it received (its name, the headers,
/// the body length), <c>.../slow</c> never answers, <c>.../status/N</c> answers N, and <c>/health/ready</c> answers
/// 200 until <see cref="Ready"/> is set false.
/// </summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private Upstream(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public Uri Address { get; private set; } = null!;

    public bool Ready { get; set; } = true;

    /// <summary>SCIM-path requests this upstream has received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<Upstream> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new Upstream(name, app);
        app.MapGet("/health/ready", (HttpContext context) => context.Response.StatusCode = upstream.Ready ? 200 : 503);
        app.Map("/rfpserver/scim/v2/{**rest}", upstream.AnswerAsync);
        await app.StartAsync();
        upstream.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return upstream;
    }

    /// <summary>The token this stand-in accepts, as the silo accepts a tenant's own (it marks such answers for the gateway).</summary>
    public const string AcceptedToken = "rfpscim_test-token";

    private async Task AnswerAsync(HttpContext context, string? rest)
    {
        Interlocked.Increment(ref _requests);
        if (context.Request.Headers.Authorization == "Bearer " + AcceptedToken)
        {
            context.Response.Headers["X-Rfpio-Token-Accepted"] = "1";
        }

        if (rest == "slow")
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
            return;
        }
        if (rest?.StartsWith("status/", StringComparison.Ordinal) == true)
        {
            context.Response.StatusCode = int.Parse(rest["status/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return;
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        context.Response.ContentType = "application/scim+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new { upstream = Name, path = context.Request.Path.Value, headers, bodyLength = body.Length });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
