using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RfpioGateway.Scim.Errors;
using RfpioGateway.ScimApi;
using RfpioGateway.TenantAdmin.Operator;

namespace RfpioGateway.TenantAdmin.Events;

/// <summary>
/// Event streams on the operator API (internal, never routed by the gateway): create, list, read and delete a
/// tenant's streams, poll one (RFC 8936) or resume a push stream (RFC 8935) that gave up, and the signing keys as a JWKS.
/// </summary>
internal static class StreamEndpoints
{
    public static void MapEventStreams(this WebApplication app)
    {
        var basePath = AdminEndpoints.BasePath;
        app.MapGet(basePath + "/jwks", Jwks);
        var streams = app.MapGroup(basePath + "/tenants/{tenant}/streams");
        streams.MapPost("", CreateAsync);
        streams.MapGet("", ListAsync);
        streams.MapGet("/{id}", GetAsync);
        streams.MapDelete("/{id}", DeleteAsync);
        streams.MapPost("/{id}/poll", PollAsync);
        streams.MapPost("/{id}/resume", ResumeAsync);
    }

    private static Task Jwks(HttpContext context, EventSigningKeys keys) =>
        ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, keys.Jwks());

    private static async Task CreateAsync(HttpContext context, string tenant, IGrainFactory grains, EventSigningKeys keys, IOptions<EventOptions> options)
    {
        if (await AdminEndpoints.ExistingAsync(context, tenant, grains) is not { } found)
        {
            return;
        }
        if (!keys.CanSign)
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.Unavailable("No SET signing key: a cluster needs Events:SigningKeys (EC P-256 PEM) on every silo."));
            return;
        }
        var body = await ScimHttp.ReadBodyAsync(context.Request, 64 * 1024);
        if (!body.TryGetValue(out var bytes, out var error) || !StreamRequest.TryParse(bytes, new EndpointRules(options.Value), out var config, out error))
        {
            await ScimHttp.WriteErrorAsync(context, error!);
            return;
        }
        var id = ResourceIds.New();
        switch (await grains.Get<ITenantGrain>(GrainKeys.Tenant(found.Id)).AddStreamAsync(id))
        {
            case TenantChange.Done:
                break;
            case TenantChange.Limit:
                await ScimHttp.WriteErrorAsync(context, new ScimError(StatusCodes.Status409Conflict, ScimErrorType.None, $"Tenant '{found.Id}' has as many streams as it may; delete one first."));
                return;
            default:
                await ScimHttp.WriteErrorAsync(context, new ScimError(StatusCodes.Status409Conflict, ScimErrorType.None, $"Tenant '{found.Id}' is being offboarded."));
                return;
        }
        var status = await Stream(grains, found.Id, id).CreateAsync(config with
        {
            Audience = config.Audience.Length > 0 ? config.Audience : config.Endpoint ?? id,
        });
        var feed = grains.Get<IEventFeedGrain>(GrainKeys.Tenant(found.Id));
        await feed.StreamsChangedAsync();
        var head = await feed.HeadAsync();
        context.Response.Headers.Location = $"{AdminEndpoints.BasePath}/tenants/{found.Id.Value}/streams/{id}";
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status201Created, Describe(found.Id, id, status, head));
    }

    /// <summary>
    /// RFC 8936 §2.4: acknowledge (<c>ack</c>, <c>setErrs</c>), then receive up to <c>maxEvents</c> SETs; without
    /// <c>returnImmediately</c> the answer waits (at most <c>Events:LongPollSeconds</c>) until there is one.
    /// </summary>
    private static async Task PollAsync(HttpContext context, string tenant, string id, IGrainFactory grains, EventSigningKeys keys,
        SecurityEventTokens tokens, IOptions<EventOptions> options, IOptions<SiloTenancyOptions> tenancy, TimeProvider time)
    {
        if (await ExistingStreamAsync(context, tenant, id, grains) is not { } found)
        {
            return;
        }
        if (found.Status.Config!.Push)
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.InvalidValue($"Stream {id} pushes its events to {found.Status.Config.Endpoint}; only poll streams are polled."));
            return;
        }
        var body = await ScimHttp.ReadBodyAsync(context.Request, 1024 * 1024);
        if (!body.TryGetValue(out var bytes, out var error) || !PollRequest.TryParse(bytes, found.Tenant, options.Value.MaxEventsPerPoll, out var poll, out error))
        {
            await ScimHttp.WriteErrorAsync(context, error!);
            return;
        }
        if (!keys.CanSign)
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.Unavailable("No SET signing key: a cluster needs Events:SigningKeys (EC P-256 PEM) on every silo."));
            return;
        }
        var stream = Stream(grains, found.Tenant, id);
        var feed = grains.Get<IEventFeedGrain>(GrainKeys.Tenant(found.Tenant));
        var deadline = time.GetUtcNow().AddSeconds(Math.Max(0, options.Value.LongPollSeconds));
        var polled = await stream.PollAsync(poll.Acknowledged, poll.Errors, poll.MaxEvents);
        while (polled.Events.Count == 0 && !poll.ReturnImmediately && poll.MaxEvents > 0 && time.GetUtcNow() < deadline
            && !context.RequestAborted.IsCancellationRequested)
        {
            // Wait for the feed to move, asking its grain (an in-memory read) rather than the store.
            var head = await feed.HeadAsync();
            while (await feed.HeadAsync() == head && time.GetUtcNow() < deadline && !context.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, CancellationToken.None);
            }
            polled = await stream.PollAsync([], new Dictionary<long, string>(), poll.MaxEvents);
        }
        var issuer = AdminEndpoints.TenantUrl(found.Tenant, tenancy.Value);
        var sets = new JsonObject();
        foreach (var change in polled.Events)
        {
            sets[SecurityEventTokens.JtiOf(found.Tenant, change.Sequence)] = tokens.Sign(found.Tenant, issuer, found.Status.Config!, change);
        }
        System.Diagnostics.Activity.Current?.SetTag("rfpio.events.delivered", polled.Events.Count);
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["sets"] = sets, ["moreAvailable"] = polled.MoreAvailable });
    }

    /// <summary>
    /// Starts a push stream that gave up again from where it stopped, or, with <c>{"from": sequence}</c>, delivers
    /// again from that sequence (the number after the colon of a SET's <c>jti</c>), for push and poll streams.
    /// </summary>
    private static async Task ResumeAsync(HttpContext context, string tenant, string id, IGrainFactory grains)
    {
        if (await ExistingStreamAsync(context, tenant, id, grains) is not { } found)
        {
            return;
        }
        long? from = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = await ScimHttp.ReadBodyAsync(context.Request, 4096);
            if (!body.TryGetValue(out var bytes, out var tooLarge))
            {
                await ScimHttp.WriteErrorAsync(context, tooLarge);
                return;
            }
            try
            {
                using var json = JsonDocument.Parse(bytes);
                var root = json.RootElement;
                var valid = root.ValueKind == JsonValueKind.Object;
                if (valid && root.TryGetProperty("from", out var value))
                {
                    long sequence = 0;
                    valid = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out sequence) && sequence >= 1;
                    from = sequence;
                }
                if (!valid)
                {
                    await ScimHttp.WriteErrorAsync(context, ScimError.InvalidValue("The body is {\"from\": <sequence ≥ 1>} (the number after the colon of a SET's jti), or empty."));
                    return;
                }
            }
            catch (JsonException)
            {
                await ScimHttp.WriteErrorAsync(context, ScimError.InvalidSyntax("The body is not JSON: send {\"from\": <sequence>} or nothing."));
                return;
            }
        }
        var stream = Stream(grains, found.Tenant, id);
        var status = from is { } start ? await stream.RedeliverFromAsync(start) : await stream.ResumeAsync();
        var head = await grains.Get<IEventFeedGrain>(GrainKeys.Tenant(found.Tenant)).HeadAsync();
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, Describe(found.Tenant, id, status, head));
    }

    private static async Task ListAsync(HttpContext context, string tenant, IGrainFactory grains)
    {
        if (await AdminEndpoints.ExistingAsync(context, tenant, grains) is not { } found)
        {
            return;
        }
        var ids = await grains.Get<ITenantGrain>(GrainKeys.Tenant(found.Id)).GetStreamsAsync();
        var head = await grains.Get<IEventFeedGrain>(GrainKeys.Tenant(found.Id)).HeadAsync();
        var list = new JsonArray();
        foreach (var id in ids)
        {
            list.Add(Describe(found.Id, id, await Stream(grains, found.Id, id).GetAsync(), head));
        }
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["streams"] = list });
    }

    private static async Task GetAsync(HttpContext context, string tenant, string id, IGrainFactory grains)
    {
        if (await ExistingStreamAsync(context, tenant, id, grains) is not { } found)
        {
            return;
        }
        var head = await grains.Get<IEventFeedGrain>(GrainKeys.Tenant(found.Tenant)).HeadAsync();
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, Describe(found.Tenant, id, found.Status, head));
    }

    private static async Task DeleteAsync(HttpContext context, string tenant, string id, IGrainFactory grains)
    {
        if (await ExistingStreamAsync(context, tenant, id, grains) is not { } found)
        {
            return;
        }
        await grains.Get<ITenantGrain>(GrainKeys.Tenant(found.Tenant)).RemoveStreamAsync(id);
        await Stream(grains, found.Tenant, id).DeleteAsync();
        await grains.Get<IEventFeedGrain>(GrainKeys.Tenant(found.Tenant)).StreamsChangedAsync();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static IEventStreamGrain Stream(IGrainFactory grains, TenantId tenant, string id) =>
        grains.Get<IEventStreamGrain>(GrainKeys.Stream(tenant, id));

    private static async Task<(TenantId Tenant, EventStreamStatus Status)?> ExistingStreamAsync(HttpContext context, string tenant, string id, IGrainFactory grains)
    {
        if (await AdminEndpoints.ExistingAsync(context, tenant, grains) is not { } found)
        {
            return null;
        }
        var status = ResourceIds.IsValid(id) ? await Stream(grains, found.Id, id).GetAsync() : null;
        if (status is not { Exists: true })
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"Tenant '{found.Id}' has no stream {id}."));
            return null;
        }
        return (found.Id, status);
    }

    private static JsonObject Describe(TenantId tenant, string id, EventStreamStatus status, long head)
    {
        var config = status.Config!;
        return new JsonObject
        {
            ["id"] = id,
            ["delivery"] = config.Delivery,
            ["events"] = new JsonArray([.. config.Events.Select(e => (JsonNode)e)]),
            ["format"] = config.Full ? "full" : "notice",
            ["audience"] = config.Audience,
            ["created"] = status.Created,
            ["endpoint"] = config.Endpoint,
            ["pollPath"] = config.Push ? null : $"{AdminEndpoints.BasePath}/tenants/{tenant.Value}/streams/{id}/poll",
            ["status"] = new JsonObject
            {
                ["startedAfter"] = status.StartAfter,
                ["acknowledged"] = status.Acknowledged,
                ["lag"] = Math.Max(0, head - status.Acknowledged),
                ["lastPoll"] = status.LastPoll,
                ["lastDelivery"] = status.LastDelivery,
                ["failingSince"] = status.FailingSince,
                ["failing"] = status.Failing,
                ["lastError"] = status.LastError,
                ["errors"] = status.Errors,
            },
        };
    }
}
