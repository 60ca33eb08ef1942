using System.Text.Json;
using Microsoft.Extensions.Options;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;
using RfpioGateway.ScimApi;
using RfpioGateway.ScimApi.Auth;
using RfpioGateway.ServiceDefaults;
using RfpioGateway.Storage.ActivityLog;
using RfpioGateway.TenantAdmin.Activity;
using RfpioGateway.TenantAdmin.Operator;

namespace RfpioGateway.TenantAdmin.Console;

/// <summary>
/// The tenant admin console under <c>/rfpserver/admin/</c> on the tenant's host (routed by the gateway like the SCIM
/// path). Every page needs a session for that host's tenant; every POST needs the anti-forgery value.
/// </summary>
internal static class ConsoleEndpoints
{
    private const string Base = ConsoleSessions.Path;
    private const string TenantItem = "rfpio.console.tenant";
    private const string SessionItem = "rfpio.console.session";
    private const string CsrfItem = "rfpio.console.csrf";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = ScimJson.Encoder };

    public static void MapConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Base, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(GuardAsync));

        app.MapGet(Base + "/assets/console.css", () => Results.Text(ConsoleAssets.Css, "text/css; charset=utf-8"));
        app.MapGet(Base + "/assets/console.js", () => Results.Text(ConsoleAssets.Js, "text/javascript; charset=utf-8"));
        app.MapGet(Base + "/signin", (HttpContext context) => Html(context, ConsolePages.SignIn(Tenant(context).Value, Csrf(context), null)));
        app.MapPost(Base + "/signin", SignInAsync);
        app.MapPost(Base + "/signout", SignOutAsync);
        app.MapGet(Base + "/", SettingsAsync);
        app.MapPost(Base + "/provisioning", SetProvisioningAsync);
        app.MapPost(Base + "/token", GenerateTokenAsync);
        app.MapPost(Base + "/token/revoke", RevokeTokenAsync);
        app.MapGet(Base + "/activity", ActivityAsync);
        app.MapGet(Base + "/users", UsersAsync);
        app.MapGet(Base + "/users/{id}", UserAsync);
        app.MapGet(Base + "/groups", GroupsAsync);
        app.MapGet(Base + "/groups/{id}", GroupAsync);
        app.Map(Base + "/{**rest}", (HttpContext context) => Html(context, ConsolePages.NotFound("There is no such page in the console."), StatusCodes.Status404NotFound))
            .WithOrder(1);
    }

    /// <summary>Tenant from the host, security headers, the anti-forgery nonce, the session, and the anti-forgery check.</summary>
    private static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var response = context.Response;
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";

        var services = context.RequestServices;
        if (!services.GetRequiredService<TenantHostResolver>().TryResolve(context.Request.Host.Host, out var tenant))
        {
            await Html(context, ConsolePages.NotFound($"'{context.Request.Host.Host}' is not a tenant's address; open https://<tenant>.rfpio.com/rfpserver/admin/."), StatusCodes.Status404NotFound);
            return;
        }
        context.Items[TenantItem] = tenant;
        var sessions = services.GetRequiredService<ConsoleSessions>();
        var time = services.GetRequiredService<TimeProvider>();
        var session = sessions.ReadSession(context.Request.Cookies[ConsoleSessions.SessionCookie], tenant, time.GetUtcNow());
        var nonce = context.Request.Cookies[ConsoleSessions.CsrfCookie];
        if (nonce is not { Length: 32 })
        {
            nonce = ConsoleSessions.NewNonce();
            response.Cookies.Append(ConsoleSessions.CsrfCookie, nonce, CookieOptions(context, expires: null));
        }
        context.Items[CsrfItem] = sessions.CsrfToken(nonce, session?.Id ?? "");

        var path = context.Request.Path.Value ?? "";
        var isPost = HttpMethods.IsPost(context.Request.Method);
        if (isPost)
        {
            var form = await ReadFormOrNullAsync(context);
            if (!sessions.IsCsrfValid(context.Request.Cookies[ConsoleSessions.CsrfCookie], session?.Id ?? "", form?[ConsoleSessions.CsrfField]))
            {
                await Html(context, ConsolePages.NotFound("This form expired or did not come from this console. Go back, reload the page and try again."), StatusCodes.Status400BadRequest);
                return;
            }
        }
        // Only the sign-in page and the assets are open; every other page (including "/rfpserver/admin" without the
        // slash, which routes to the settings page) needs a current session for this host's tenant.
        var open = path.StartsWith(Base + "/assets/", StringComparison.OrdinalIgnoreCase) || path.Equals(Base + "/signin", StringComparison.OrdinalIgnoreCase);
        if (!open)
        {
            if (session is null || !await IsCurrentAsync(services, session))
            {
                response.Cookies.Delete(ConsoleSessions.SessionCookie, CookieOptions(context, expires: null));
                response.Redirect(Base + "/signin", permanent: false);
                return;
            }
            context.Items[SessionItem] = session;
            // As for SCIM tokens: the gateway spends the tenant's budget, not the unauthenticated one, on this session.
            response.Headers[EdgeContract.TokenAcceptedHeader] = "1";
        }
        await next(context);
    }

    /// <summary>The posted form, or null when the body is not a form that can be read (it then fails anti-forgery: a 400).</summary>
    private static async Task<IFormCollection?> ReadFormOrNullAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }
        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The credential it signed in with still stands, and the session was not signed out on any silo.</summary>
    private static async Task<bool> IsCurrentAsync(IServiceProvider services, ConsoleSession session) =>
        await services.GetRequiredService<ITenantAdminAuthenticator>().IsCurrentAsync(session.Identity)
        && !await services.GetRequiredService<IGrainFactory>().Get<ITenantGrain>(GrainKeys.Tenant(session.Identity.Tenant)).IsAdminSessionEndedAsync(session.Id);

    private static async Task SignInAsync(HttpContext context, ITenantAdminAuthenticator authenticator, ConsoleSessions sessions, SignInThrottle throttle, TimeProvider time)
    {
        var tenant = Tenant(context);
        var source = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (!throttle.MayTry(tenant.Value, source))
        {
            context.Response.Headers.RetryAfter = "60";
            await Html(context, ConsolePages.SignIn(tenant.Value, Csrf(context), "Too many wrong credentials were tried from here. Wait a minute, then try again."),
                StatusCodes.Status429TooManyRequests);
            return;
        }
        var credential = (await context.Request.ReadFormAsync(context.RequestAborted))["credential"].ToString();
        var identity = credential.Length is > 0 and < 200 ? await authenticator.AuthenticateAsync(tenant, credential) : null;
        if (identity is null)
        {
            throttle.Failed(tenant.Value, source);
            await Html(context, ConsolePages.SignIn(tenant.Value, Csrf(context), "That credential does not open this tenant's console."), StatusCodes.Status401Unauthorized);
            return;
        }
        var now = time.GetUtcNow();
        context.Response.Cookies.Append(ConsoleSessions.SessionCookie, sessions.IssueSession(identity, now), CookieOptions(context, now + ConsoleSessions.Lifetime));
        context.Response.Redirect(Base + "/", permanent: false);
    }

    private static async Task SignOutAsync(HttpContext context, IGrainFactory grains)
    {
        var session = (ConsoleSession)context.Items[SessionItem]!;
        // Server-side, so the cookie stops working everywhere even if a copy of it is replayed.
        await grains.Get<ITenantGrain>(GrainKeys.Tenant(session.Identity.Tenant)).EndAdminSessionAsync(session.Id, session.Expires);
        context.Response.Cookies.Delete(ConsoleSessions.SessionCookie, CookieOptions(context, expires: null));
        context.Response.Redirect(Base + "/signin", permanent: false);
    }

    private static async Task SettingsAsync(HttpContext context, TenantSettings settings, ConsoleSessions sessions, IGrainFactory grains, TimeProvider time, IOptions<SiloTenancyOptions> tenancy)
    {
        var tenant = Tenant(context);
        var info = await settings.GetAsync(tenant);
        string? token = null;
        if (context.Request.Cookies.ContainsKey(ConsoleSessions.FlashCookie))
        {
            context.Response.Cookies.Delete(ConsoleSessions.FlashCookie, CookieOptions(context, expires: null));
            // Shown once: the tenant grain hands out each reveal id a single time, whatever copies of the cookie exist.
            if (sessions.OpenFlash(context.Request.Cookies[ConsoleSessions.FlashCookie], tenant, time.GetUtcNow()) is { } flash
                && await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).ConsumeTokenRevealAsync(flash.RevealId))
            {
                token = flash.Secret;
            }
        }
        var ids = await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).GetStreamsAsync();
        var streams = new List<(string, EventStreamStatus)>();
        foreach (var id in ids)
        {
            if (await grains.Get<IEventStreamGrain>(GrainKeys.Stream(tenant, id)).GetAsync() is { Exists: true } status)
            {
                streams.Add((id, status));
            }
        }
        var head = ids.Count == 0 ? 0 : await grains.Get<IEventFeedGrain>(GrainKeys.Tenant(tenant)).HeadAsync();
        await Html(context, ConsolePages.Settings(tenant.Value, Csrf(context), info, AdminEndpoints.TenantUrl(tenant, tenancy.Value), token, streams, head));
    }

    private static async Task SetProvisioningAsync(HttpContext context, TenantSettings settings)
    {
        var enabled = (await context.Request.ReadFormAsync(context.RequestAborted))["enabled"] == "true";
        await settings.SetProvisioningAsync(Tenant(context), enabled);
        context.Response.Redirect(Base + "/", permanent: false);
    }

    private static async Task GenerateTokenAsync(HttpContext context, TenantSettings settings, ConsoleSessions sessions, IGrainFactory grains, TimeProvider time)
    {
        var tenant = Tenant(context);
        if ((await settings.IssueTokenAsync(tenant)).TryGetValue(out var token, out _))
        {
            var now = time.GetUtcNow();
            var revealId = ConsoleSessions.NewNonce();
            await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).OfferTokenRevealAsync(revealId);
            context.Response.Cookies.Append(ConsoleSessions.FlashCookie, sessions.SealFlash(tenant, revealId, token.Value, now), CookieOptions(context, now.AddMinutes(2)));
        }
        context.Response.Redirect(Base + "/", permanent: false);
    }

    private static async Task RevokeTokenAsync(HttpContext context, TenantSettings settings)
    {
        await settings.RevokeTokenAsync(Tenant(context));
        context.Response.Redirect(Base + "/", permanent: false);
    }

    private static async Task ActivityAsync(HttpContext context, IActivityStore store, TimeProvider time)
    {
        var tenant = Tenant(context);
        if (!ActivityQueryParser.TryParse(context.Request.Query, 100, out var query, out var problem))
        {
            await Html(context, ConsolePages.NotFound(problem), StatusCodes.Status400BadRequest);
            return;
        }
        query = query with { Count = 50 };
        var page = await store.QueryAsync(tenant.Value, query);
        var counts = await store.CountAsync(tenant.Value, time.GetUtcNow().AddHours(-24));
        var kept = string.Join("&", context.Request.Query.Where(q => q.Key is "result" or "operation" or "from" or "to" && q.Value.ToString().Length > 0)
            .Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}"));
        await Html(context, ConsolePages.Activity(tenant.Value, Csrf(context), query, page, counts, kept));
    }

    private static async Task UsersAsync(HttpContext context, ResourceDirectory directory, ServiceProviderConfigOptions options)
    {
        const int count = 50;
        var tenant = Tenant(context);
        var prefix = context.Request.Query["prefix"].ToString().Trim();
        var active = context.Request.Query["active"].ToString() is "true" or "false" ? context.Request.Query["active"].ToString() : "";
        var startIndex = int.TryParse(context.Request.Query["startIndex"], out var s) ? Math.Max(1, s) : 1;
        var terms = new List<string>();
        if (prefix.Length > 0)
        {
            terms.Add($"userName sw {JsonSerializer.Serialize(prefix)}");
        }
        if (active.Length > 0)
        {
            terms.Add($"active eq {active}");
        }
        var parameters = new Dictionary<string, string?>
        {
            ["filter"] = terms.Count > 0 ? string.Join(" and ", terms) : null,
            ["startIndex"] = startIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var rows = new List<(string, string?, string?, bool?)>();
        var total = 0;
        string? error = null;
        var request = SearchRequest.FromQuery(name => parameters.GetValueOrDefault(name), UserResource.Type.Schema, options);
        if (!request.TryGetValue(out var search, out var invalid))
        {
            error = invalid.Detail;
        }
        else if (!(await directory.SearchAsync(UserResource.Type, tenant, search)).TryGetValue(out var page, out var failed))
        {
            error = failed.Detail;
        }
        else
        {
            total = page.Total;
            foreach (var (user, document) in page.Resources)
            {
                rows.Add((user.Id, document.UserName, document.DisplayName, document.Active));
            }
        }
        await Html(context, ConsolePages.Users(tenant.Value, Csrf(context), prefix, active, startIndex, count, total, rows, error));
    }

    private static async Task UserAsync(HttpContext context, string id, IGrainFactory grains)
    {
        var tenant = Tenant(context);
        var user = ResourceIds.IsValid(id) ? await UserResource.Type.GrainOf(grains, tenant, id).GetAsync() : null;
        if (user is null)
        {
            await Html(context, ConsolePages.NotFound($"No user {id} in this tenant."), StatusCodes.Status404NotFound);
            return;
        }
        var document = ScimDocument.Load(UserResource.Type.Schema, user.Document);
        var location = $"{context.Request.Scheme}://{context.Request.Host}{ScimRoutes.BasePath}/Users/{user.Id}";
        var rendered = ResourceRenderer.Render(document, new ResourceMeta(user.Id, user.Created, user.LastModified, user.Version, location));
        using var parsed = JsonDocument.Parse(rendered);
        var pretty = JsonSerializer.Serialize(parsed.RootElement, Indented);
        await Html(context, ConsolePages.User(tenant.Value, Csrf(context), document.UserName ?? user.Id, pretty));
    }

    private static async Task GroupsAsync(HttpContext context, ResourceDirectory directory, IMembershipStore memberships, ServiceProviderConfigOptions options)
    {
        const int count = 50;
        var tenant = Tenant(context);
        var name = context.Request.Query["name"].ToString().Trim();
        var startIndex = int.TryParse(context.Request.Query["startIndex"], out var s) ? Math.Max(1, s) : 1;
        var parameters = new Dictionary<string, string?>
        {
            ["filter"] = name.Length > 0 ? $"displayName sw {JsonSerializer.Serialize(name)}" : null,
            ["startIndex"] = startIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["excludedAttributes"] = "members",
        };
        var rows = new List<(string, string?, string?, long)>();
        var total = 0;
        string? error = null;
        var request = SearchRequest.FromQuery(name => parameters.GetValueOrDefault(name), GroupResource.Type.Schema, options);
        if (!request.TryGetValue(out var search, out var invalid))
        {
            error = invalid.Detail;
        }
        else if (!(await directory.SearchAsync(GroupResource.Type, tenant, search)).TryGetValue(out var page, out var failed))
        {
            error = failed.Detail;
        }
        else
        {
            total = page.Total;
            // One count per group on the page: each is a single row, whatever the group's size.
            var counts = await Task.WhenAll(page.Resources.Select(g => memberships.CountAsync(tenant, g.Snapshot.Id)));
            rows.AddRange(page.Resources.Select((g, i) => (g.Snapshot.Id, g.Document.DisplayName, g.Document.ExternalId, counts[i])));
        }
        await Html(context, ConsolePages.Groups(tenant.Value, Csrf(context), name, startIndex, count, total, rows, error));
    }

    private static async Task GroupAsync(HttpContext context, string id, IGrainFactory grains, IMembershipStore memberships)
    {
        const int count = 50;
        var tenant = Tenant(context);
        var group = ResourceIds.IsValid(id) ? await GroupResource.Type.GrainOf(grains, tenant, id).GetAsync() : null;
        if (group is null)
        {
            await Html(context, ConsolePages.NotFound($"No group {id} in this tenant."), StatusCodes.Status404NotFound);
            return;
        }
        var after = context.Request.Query["after"].ToString() is { Length: > 0 } a && ResourceIds.IsValid(a) ? a : null;
        var document = ScimDocument.Load(GroupResource.Type.Schema, group.Document);
        var total = await memberships.CountAsync(tenant, id);
        // One more than a page, to know whether there is a next one; members are read by id from where the page starts.
        var members = await memberships.ReadMembersAsync(tenant, id, after, count + 1);
        var more = members.Count > count;
        await Html(context, ConsolePages.Group(tenant.Value, Csrf(context), id, document.DisplayName ?? id, document.ExternalId, total,
            [.. members.Take(count).Select(m => (m.UserId, m.Display))], after is not null, more ? members[count - 1].UserId : null));
    }

    private static TenantId Tenant(HttpContext context) => (TenantId)context.Items[TenantItem]!;

    private static string Csrf(HttpContext context) => (string)context.Items[CsrfItem]!;

    private static Task Html(HttpContext context, string html, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    /// <summary>HttpOnly, SameSite=Strict, scoped to the console; Secure everywhere but local <c>*.localhost</c> runs.</summary>
    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps || !context.Request.Host.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase),
        Path = Base,
        Expires = expires,
        IsEssential = true,
    };
}
