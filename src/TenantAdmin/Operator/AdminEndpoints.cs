using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.TenantAdmin.Activity;
using RfpioGateway.ScimApi.Auth;
using RfpioGateway.ScimApi;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.TenantAdmin.Operator;

/// <summary>
/// The operator API under <c>/admin/v1</c>: internal, on the silo only, never routed by the public gateway.
/// Authenticated by <c>Authorization: Bearer &lt;Admin:ApiKey&gt;</c>.
/// </summary>
internal static class AdminEndpoints
{
    public const string BasePath = "/admin/v1";

    public static void MapAdmin(this WebApplication app, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(app);
        var expected = Encoding.UTF8.GetBytes("Bearer " + apiKey);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (context, next) =>
            {
                var presented = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                if (!CryptographicOperations.FixedTimeEquals(presented, expected))
                {
                    await ScimHttp.WriteErrorAsync(context, ScimError.Unauthorized("The operator API needs 'Authorization: Bearer <Admin:ApiKey>'."));
                    return;
                }
                await next(context);
            }));

        app.MapGet(BasePath + "/tenants", ListTenants);
        app.MapGet(BasePath + "/diagnostics", Diagnostics);
        var admin = app.MapGroup(BasePath + "/tenants/{tenant}");
        admin.MapPut("", PutTenant);
        admin.MapGet("", GetTenant);
        admin.MapDelete("", DeleteTenant);
        admin.MapPut("/provisioning", PutProvisioning);
        admin.MapPost("/token", IssueToken);
        admin.MapDelete("/token", RevokeToken);
        admin.MapPost("/admin-credential", IssueAdminCredential);
        admin.MapDelete("/admin-credential", RevokeAdminCredential);
        admin.MapGet("/activity", ReadActivity);
    }

    private static async Task PutTenant(HttpContext context, string tenant, IGrainFactory grains, IOptions<SiloTenancyOptions> tenancy)
    {
        if (!TryTenant(tenant, out var id, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var shardCount = tenancy.Value.DefaultShardCount;
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var body = ParseJson(text);
            if (body is not JsonObject)
            {
                await ScimHttp.WriteErrorAsync(context, ScimError.InvalidSyntax("The body must be a JSON object such as {\"shardCount\": 64}, or empty."));
                return;
            }
            if (body["shardCount"] is JsonValue value && value.TryGetValue<int>(out var requested))
            {
                if (requested is < 1 or > 4096)
                {
                    await ScimHttp.WriteErrorAsync(context, ScimError.InvalidValue("shardCount must be between 1 and 4096."));
                    return;
                }
                shardCount = requested;
            }
        }
        var grain = grains.Get<ITenantGrain>(GrainKeys.Tenant(id));
        var existed = (await grain.GetInfoAsync()).Exists;
        var info = await grain.EnsureAsync(shardCount);
        if (info.Offboarding)
        {
            await ScimHttp.WriteErrorAsync(context, new ScimError(StatusCodes.Status409Conflict, ScimErrorType.None, $"Tenant '{id}' is being offboarded; create it again once that has finished."));
            return;
        }
        await ScimHttp.WriteJsonAsync(context, existed ? StatusCodes.Status200OK : StatusCodes.Status201Created, await Describe(id, info, grains, tenancy.Value));
    }

    /// <summary>This silo's memory, after a full collection: for capacity checks, not for frequent polling.</summary>
    private static Task Diagnostics(HttpContext context)
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        return ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["managedHeapBytes"] = managed,
            ["workingSetBytes"] = Environment.WorkingSet,
        });
    }

    /// <summary>Tenants in id order: <c>?after=&lt;last id of the previous page&gt;&amp;count=n</c> (at most 1,000).</summary>
    private static async Task ListTenants(HttpContext context, IGrainFactory grains)
    {
        var after = context.Request.Query["after"].ToString() is { Length: > 0 } a ? a : null;
        var count = int.TryParse(context.Request.Query["count"], out var c) ? Math.Clamp(c, 1, 1000) : 100;
        var tenants = await grains.Get<ITenantRegistryGrain>(GrainKeys.Registry).ListAsync(after, count);
        var list = new JsonArray();
        foreach (var tenant in tenants)
        {
            list.Add(tenant);
        }
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["tenants"] = list,
            ["next"] = tenants.Count == count ? tenants[^1] : null,
        });
    }

    /// <summary>
    /// Offboards a tenant and removes all its data, its activity records included. Small tenants are gone when this
    /// answers 204; larger ones answer 202 and finish in the background (GET shows <c>offboarding: true</c> until
    /// then, then 404).
    /// </summary>
    private static async Task DeleteTenant(HttpContext context, string tenant, IGrainFactory grains, TenantAuthorizer authorizer,
        IOptions<OffboardingOptions> offboarding, ActivityRecorder recorder, IActivityStore activity)
    {
        if (await ExistingAsync(context, tenant, grains) is not { } found)
        {
            return;
        }
        var gone = await grains.Get<ITenantGrain>(GrainKeys.Tenant(found.Id)).OffboardAsync(offboarding.Value.InlineBudget);
        authorizer.Invalidate(found.Id);
        // The tenant answers nothing from here on, so no new record can follow; what is still buffered goes first.
        // A crash before this line leaves the records to age out with the retention.
        await recorder.FlushAsync();
        await activity.TrimAsync(found.Id.Value, keep: 0, cutoff: DateTimeOffset.MaxValue);
        context.Response.StatusCode = gone ? StatusCodes.Status204NoContent : StatusCodes.Status202Accepted;
    }

    private static async Task GetTenant(HttpContext context, string tenant, IGrainFactory grains, IOptions<SiloTenancyOptions> tenancy)
    {
        if (await ExistingAsync(context, tenant, grains) is not { } found)
        {
            return;
        }
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, await Describe(found.Id, found.Info, grains, tenancy.Value));
    }

    private static async Task PutProvisioning(HttpContext context, string tenant, IGrainFactory grains, IOptions<SiloTenancyOptions> tenancy, TenantSettings settings)
    {
        if (await ExistingAsync(context, tenant, grains) is not { } found)
        {
            return;
        }
        var body = await ReadJsonAsync(context);
        if (body?["enabled"] is not JsonValue value || !value.TryGetValue<bool>(out var enabled))
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.InvalidSyntax("Send {\"enabled\": true} or {\"enabled\": false}."));
            return;
        }
        var info = await settings.SetProvisioningAsync(found.Id, enabled);
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, await Describe(found.Id, info, grains, tenancy.Value));
    }

    private static Task IssueToken(HttpContext context, string tenant, IGrainFactory grains, TenantSettings settings, IOptions<SiloTenancyOptions> tenancy) =>
        IssueAsync(context, tenant, grains, settings.IssueTokenAsync, (id, token) => new JsonObject
        {
            ["token"] = token.Value,
            ["tenantUrl"] = TenantUrl(id, tenancy.Value),
            ["issuedAt"] = token.IssuedAt,
            ["fingerprint"] = token.Fingerprint,
            ["note"] = "This token is shown once. Paste it into the identity provider as the Secret Token; the previous token no longer works.",
        });

    private static Task RevokeToken(HttpContext context, string tenant, IGrainFactory grains, TenantSettings settings) =>
        RevokeAsync(context, tenant, grains, settings.RevokeTokenAsync);

    private static Task IssueAdminCredential(HttpContext context, string tenant, IGrainFactory grains, TenantSettings settings, IOptions<SiloTenancyOptions> tenancy) =>
        IssueAsync(context, tenant, grains, settings.IssueAdminCredentialAsync, (id, credential) => new JsonObject
        {
            ["credential"] = credential.Value,
            ["consoleUrl"] = ConsoleUrl(id, tenancy.Value),
            ["issuedAt"] = credential.IssuedAt,
            ["note"] = "This credential is shown once. Give it to the tenant's admin to sign in to the console; any earlier credential and its sessions no longer work.",
        });

    private static Task RevokeAdminCredential(HttpContext context, string tenant, IGrainFactory grains, TenantSettings settings) =>
        RevokeAsync(context, tenant, grains, settings.RevokeAdminCredentialAsync);

    /// <summary>Issues a secret and answers it once, never cached.</summary>
    private static async Task IssueAsync(HttpContext context, string tenant, IGrainFactory grains,
        Func<TenantId, Task<ScimResult<IssuedSecret>>> issue, Func<TenantId, IssuedSecret, JsonObject> answer)
    {
        if (await ExistingAsync(context, tenant, grains) is not { } found)
        {
            return;
        }
        if (!(await issue(found.Id)).TryGetValue(out var secret, out var refused))
        {
            await ScimHttp.WriteErrorAsync(context, refused);
            return;
        }
        context.Response.Headers.CacheControl = "no-store";
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status201Created, answer(found.Id, secret));
    }

    private static async Task RevokeAsync(HttpContext context, string tenant, IGrainFactory grains, Func<TenantId, Task> revoke)
    {
        if (await ExistingAsync(context, tenant, grains) is not { } found)
        {
            return;
        }
        await revoke(found.Id);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// A tenant's provisioning activity, newest first: <c>?result=success|failure&amp;operation=Users.Create&amp;from=&amp;to=
    /// &amp;before=&lt;next of the previous page&gt;&amp;count=</c> (at most 500), with the last 24 hours' counters.
    /// </summary>
    private static async Task ReadActivity(HttpContext context, string tenant, IGrainFactory grains, IActivityStore store, TimeProvider time)
    {
        if (await ExistingAsync(context, tenant, grains) is not { } found)
        {
            return;
        }
        if (!ActivityQueryParser.TryParse(context.Request.Query, 500, out var query, out var problem))
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.InvalidValue(problem));
            return;
        }
        var page = await store.QueryAsync(found.Id.Value, query);
        var counts = await store.CountAsync(found.Id.Value, time.GetUtcNow().AddHours(-24));
        var records = new JsonArray();
        foreach (var r in page.Records)
        {
            records.Add(new JsonObject
            {
                ["sequence"] = r.Sequence,
                ["time"] = r.Time,
                ["operation"] = r.Operation,
                ["outcome"] = r.Outcome,
                ["status"] = r.Status,
                ["scimType"] = r.ScimType,
                ["resourceType"] = r.ResourceType,
                ["resourceId"] = r.ResourceId,
                ["userName"] = r.UserName,
                ["query"] = r.Query,
                ["userAgent"] = r.UserAgent,
                ["durationMs"] = r.DurationMs,
                ["traceId"] = r.TraceId,
            });
        }
        var last24h = new JsonObject();
        foreach (var outcome in ActivityOutcomes.Counted)
        {
            last24h[outcome] = counts.GetValueOrDefault(outcome);
        }
        await ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["records"] = records,
            ["next"] = page.Next,
            ["last24Hours"] = last24h,
        });
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The body as JSON, or null when it is missing or not JSON (the caller then answers 400).</summary>
    private static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static async Task<(TenantId Id, TenantInfo Info)?> ExistingAsync(HttpContext context, string tenant, IGrainFactory grains)
    {
        if (!TryTenant(tenant, out var id, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return null;
        }
        var info = await grains.Get<ITenantGrain>(GrainKeys.Tenant(id)).GetInfoAsync();
        if (!info.Exists)
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"Tenant '{id}' does not exist; create it with PUT {BasePath}/tenants/{id}."));
            return null;
        }
        return (id, info);
    }

    private static bool TryTenant(string text, out TenantId tenant, out ScimError error)
    {
        error = ScimError.InvalidValue($"'{text}' is not a tenant id: one DNS label of a-z, 0-9 and '-', at most 63 characters.");
        return TenantId.TryParse(text, out tenant) && tenant.Value == text;
    }

    /// <summary>The console sits beside the SCIM base: <c>…/rfpserver/scim/v2</c> → <c>…/rfpserver/admin/</c>.</summary>
    internal static string ConsoleUrl(TenantId tenant, SiloTenancyOptions tenancy) =>
        TenantUrl(tenant, tenancy).Replace("/scim/v2", "/admin/", StringComparison.Ordinal);

    internal static string TenantUrl(TenantId tenant, SiloTenancyOptions tenancy) =>
        tenancy.TenantUrlTemplate.Replace("{tenant}", tenant.Value, StringComparison.Ordinal);

    private static async Task<JsonObject> Describe(TenantId tenant, TenantInfo info, IGrainFactory grains, SiloTenancyOptions tenancy)
    {
        var shardIndexes = Enumerable.Range(0, Math.Max(1, info.ShardCount)).ToList();
        var userCount = (await Task.WhenAll(shardIndexes.Select(i => UserResource.Type.ShardOf(grains, tenant, i).CountAsync(null)))).Sum();
        var groupCount = (await Task.WhenAll(shardIndexes.Select(i => GroupResource.Type.ShardOf(grains, tenant, i).CountAsync(null)))).Sum();
        return new JsonObject
        {
            ["tenant"] = tenant.Value,
            ["provisioningEnabled"] = info.ProvisioningEnabled,
            ["tokenIssuedAt"] = info.TokenIssuedAt,
            ["tokenFingerprint"] = info.TokenFingerprint,
            ["tenantUrl"] = TenantUrl(tenant, tenancy),
            ["userCount"] = userCount,
            ["groupCount"] = groupCount,
            ["shardCount"] = info.ShardCount,
            ["created"] = info.Created,
            ["offboarding"] = info.Offboarding,
            ["adminCredentialIssuedAt"] = info.AdminCredentialIssuedAt,
            ["consoleUrl"] = ConsoleUrl(tenant, tenancy),
        };
    }
}
