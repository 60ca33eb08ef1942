using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RfpioGateway.LoadTest;

/// <summary>
/// One tenant's provisioning job, as Microsoft Entra ID runs it: Test Connection, an initial cycle (filter by
/// userName, then POST), incremental cycles (GET, then PATCH in Entra's dialect), list pages, disables and deletes.
/// </summary>
public sealed class EntraDriver(HttpClient http, LoadOptions options, Recorder recorder, SemaphoreSlim overall, EventReceiver? receiver = null)
{
    private const string Base = "/rfpserver/scim/v2";

    public sealed record Tenant(string Name, string Token, bool Noisy);

    public async Task<Tenant> SetUpAsync(string name, bool noisy, CancellationToken cancellation)
    {
        await AdminAsync(HttpMethod.Put, $"/admin/v1/tenants/{name}", null, cancellation);
        await AdminAsync(HttpMethod.Put, $"/admin/v1/tenants/{name}/provisioning", """{"enabled":true}""", cancellation);
        using var issued = await AdminAsync(HttpMethod.Post, $"/admin/v1/tenants/{name}/token", null, cancellation);
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>(cancellation)).GetProperty("token").GetString()!;
        if (receiver is not null)
        {
            using var stream = await AdminAsync(HttpMethod.Post, $"/admin/v1/tenants/{name}/streams",
                JsonSerializer.Serialize(new { delivery = "push", endpoint = receiver.Url }), cancellation);
        }
        return new Tenant(name, token, noisy);
    }

    /// <summary>Offboards a tenant this run created (the silo finishes deleting its users in the background).</summary>
    public async Task RemoveAsync(Tenant tenant, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        using var removed = await AdminAsync(HttpMethod.Delete, $"/admin/v1/tenants/{tenant.Name}", null, cancellation);
    }

    public async Task RunAsync(Tenant tenant, CancellationToken cancellation)
    {
        var concurrency = tenant.Noisy ? options.NoisyConcurrency : options.TenantConcurrency;
        var users = tenant.Noisy && options.NoisyUsers > 0 ? options.NoisyUsers : options.UsersPerTenant;
        var pacer = new Pacer(tenant.Noisy ? 0 : options.Rate);
        await SendAsync(tenant, pacer, "TestConnection", HttpMethod.Get, $"{Base}/Users?filter={Filter($"userName eq \"{Guid.NewGuid():N}@probe.example.com\"")}", null, cancellation);

        var ids = new string?[users];
        await ForEachAsync(users, concurrency, async i =>
        {
            var userName = $"user{i}@{tenant.Name}.example.com";
            var (status, found) = await SendAsync(tenant, pacer, "Filter", HttpMethod.Get, $"{Base}/Users?filter={Filter($"userName eq \"{userName}\"")}", null, cancellation);
            if (status == 200 && found is { } list && list.GetProperty("totalResults").GetInt32() > 0)
            {
                ids[i] = list.GetProperty("Resources")[0].GetProperty("id").GetString();
                return;
            }
            var (created, user) = await SendAsync(tenant, pacer, "Create", HttpMethod.Post, $"{Base}/Users", EntraBodies.Create(userName, i), cancellation);
            if (created == 201 && user is { } body)
            {
                ids[i] = body.GetProperty("id").GetString();
            }
        }, cancellation);

        for (var cycle = 1; cycle <= options.IncrementalCycles; cycle++)
        {
            var round = cycle;
            await ForEachAsync(users, concurrency, async i =>
            {
                if (ids[i] is not { } id)
                {
                    return;
                }
                await SendAsync(tenant, pacer, "Get", HttpMethod.Get, $"{Base}/Users/{id}", null, cancellation);
                var manager = ids[(i + 1) % ids.Length] ?? id;
                await SendAsync(tenant, pacer, "Patch", new HttpMethod("PATCH"), $"{Base}/Users/{id}", EntraBodies.Update(round, i, manager), cancellation);
            }, cancellation);
        }

        for (var start = 1; start <= users; start += 100)
        {
            await SendAsync(tenant, pacer, "ListPage", HttpMethod.Get, $"{Base}/Users?startIndex={start}&count=100", null, cancellation);
        }

        if (options.GroupsPerTenant > 0)
        {
            await GroupsAsync(tenant, pacer, concurrency, ids, cancellation);
        }

        // Leavers: every tenth user is disabled, and every tenth of those is then deleted.
        var leavers = Enumerable.Range(0, users).Where(i => i % 10 == 9 && ids[i] is not null).ToList();
        await ForEachAsync(leavers.Count, concurrency, async k =>
            await SendAsync(tenant, pacer, "Disable", new HttpMethod("PATCH"), $"{Base}/Users/{ids[leavers[k]]}", EntraBodies.Disable, cancellation), cancellation);
        var deleted = leavers.Where((_, k) => k % 10 == 0).ToList();
        await ForEachAsync(deleted.Count, concurrency, async k =>
            await SendAsync(tenant, pacer, "Delete", HttpMethod.Delete, $"{Base}/Users/{ids[deleted[k]]}", null, cancellation), cancellation);
    }

    /// <summary>
    /// The group phase: each group is looked up by displayName and created, its members added in PATCHes of 100;
    /// then every fifth group loses a member, every tenth is renamed (Okta: every twentieth is replaced whole with
    /// PUT) and every twentieth is deleted.
    /// </summary>
    private async Task GroupsAsync(Tenant tenant, Pacer pacer, int concurrency, string?[] users, CancellationToken cancellation)
    {
        var okta = options.GroupDialect == "okta";
        var groups = new string?[options.GroupsPerTenant];
        string[] MembersOf(int g) =>
            [.. Enumerable.Range(0, options.MembersPerGroup).Select(k => users[(int)(((long)g * options.MembersPerGroup + k) % users.Length)]).OfType<string>().Distinct()];
        string Name(int g) => $"Group {g} of {tenant.Name}";

        await ForEachAsync(groups.Length, concurrency, async g =>
        {
            if (!okta)
            {
                await SendAsync(tenant, pacer, "GroupFilter", HttpMethod.Get,
                    $"{Base}/Groups?excludedAttributes=members&filter={Filter($"displayName eq \"{Name(g)}\"")}", null, cancellation);
            }
            var (status, created) = await SendAsync(tenant, pacer, "GroupCreate", HttpMethod.Post, $"{Base}/Groups",
                okta ? EntraBodies.OktaCreateGroup(Name(g)) : EntraBodies.CreateGroup(Name(g)), cancellation);
            if (status != 201 || created is not { } body)
            {
                return;
            }
            var id = body.GetProperty("id").GetString()!;
            groups[g] = id;
            foreach (var batch in MembersOf(g).Chunk(100))
            {
                await SendAsync(tenant, pacer, "GroupAddMembers", new HttpMethod("PATCH"), $"{Base}/Groups/{id}",
                    okta ? EntraBodies.OktaPush(id, Name(g), batch, []) : EntraBodies.AddMembers(batch), cancellation);
            }
        }, cancellation);

        await ForEachAsync(groups.Length, concurrency, async g =>
        {
            if (groups[g] is not { } id)
            {
                return;
            }
            var members = MembersOf(g);
            if (g % 5 == 4 && members.Length > 0)
            {
                await SendAsync(tenant, pacer, "GroupRemoveMember", new HttpMethod("PATCH"), $"{Base}/Groups/{id}",
                    okta ? EntraBodies.OktaPush(id, Name(g), [], [members[0]]) : EntraBodies.RemoveMember(members[0]), cancellation);
            }
            if (g % 10 == 9)
            {
                await SendAsync(tenant, pacer, "GroupRename", new HttpMethod("PATCH"), $"{Base}/Groups/{id}",
                    okta ? EntraBodies.OktaPush(id, Name(g) + " (renamed)", [], []) : EntraBodies.Rename(Name(g) + " (renamed)"), cancellation);
            }
            if (okta && g % 20 == 18)
            {
                await SendAsync(tenant, pacer, "GroupReplace", HttpMethod.Put, $"{Base}/Groups/{id}", EntraBodies.OktaReplace(id, Name(g), members), cancellation);
            }
            if (g % 20 == 19)
            {
                await SendAsync(tenant, pacer, "GroupDelete", HttpMethod.Delete, $"{Base}/Groups/{id}", null, cancellation);
            }
        }, cancellation);
    }

    /// <summary>One request, retried after Retry-After when refused with 429, as Entra ID backs off (at most 10 tries).</summary>
    private async Task<(int Status, JsonElement? Body)> SendAsync(Tenant tenant, Pacer pacer, string operation, HttpMethod method, string path, string? body, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (status, json, retryAfter, etag) = await SendOnceAsync(tenant, pacer, operation, method, path, body, cancellation);
            if (status != 429 || attempt == 10)
            {
                if (receiver is not null && method != HttpMethod.Get && status is 200 or 201 or 204)
                {
                    // The change is acknowledged now: its event's lag is measured from here.
                    var id = method == HttpMethod.Post ? json?.GetProperty("id").GetString() : path.Split('?')[0].Split('/')[^1];
                    if (id is not null)
                    {
                        receiver.Acknowledged(tenant.Name, id, method == HttpMethod.Delete ? null : etag);
                    }
                }
                return (status, json);
            }
            await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(1), cancellation);
        }
    }

    private async Task<(int Status, JsonElement? Body, TimeSpan? RetryAfter, string? ETag)> SendOnceAsync(Tenant tenant, Pacer pacer, string operation, HttpMethod method, string path, string? body, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        await pacer.WaitAsync(cancellation);
        await overall.WaitAsync(cancellation);
        var started = Stopwatch.GetTimestamp();
        var status = 0;
        JsonElement? json = null;
        TimeSpan? retryAfter = null;
        string? etag = null;
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(options.Target, path));
            request.Headers.Host = $"{tenant.Name}.{options.BaseDomain}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);
            request.Headers.UserAgent.ParseAdd("RfpioGateway.LoadTest (like Microsoft.AAD.Provisioning)");
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/scim+json");
            }
            using var response = await http.SendAsync(request, cancellation);
            status = (int)response.StatusCode;
            retryAfter = response.Headers.RetryAfter?.Delta;
            etag = response.Headers.ETag?.ToString();
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellation);
            if (status is 200 or 201 && bytes.Length > 0)
            {
                json = JsonDocument.Parse(bytes).RootElement.Clone();
            }
        }
        catch (HttpRequestException)
        {
            status = 0;
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            status = 0; // the client's timeout
        }
        finally
        {
            overall.Release();
        }
        recorder.Record(tenant.Name, operation, status, Stopwatch.GetElapsedTime(started));
        return (status, json, retryAfter, etag);
    }

    private async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? json, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, new Uri(options.Admin, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AdminKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        var response = await http.SendAsync(request, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} on the operator API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}");
        }
        return response;
    }

    private static string Filter(string filter) => Uri.EscapeDataString(filter);

    private static async Task ForEachAsync(int count, int concurrency, Func<int, Task> body, CancellationToken cancellation)
    {
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(concurrency, Math.Max(count, 1))).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && !cancellation.IsCancellationRequested)
            {
                await body(i);
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>Spaces a tenant's requests to a fixed rate; 0 means no pacing.</summary>
    private sealed class Pacer(double rate)
    {
        private readonly Lock _lock = new();
        private readonly long _interval = rate > 0 ? (long)(Stopwatch.Frequency / rate) : 0;
        private long _next = Stopwatch.GetTimestamp();

        public Task WaitAsync(CancellationToken cancellation)
        {
            if (_interval == 0)
            {
                return Task.CompletedTask;
            }
            long slot;
            lock (_lock)
            {
                slot = Math.Max(_next, Stopwatch.GetTimestamp());
                _next = slot + _interval;
            }
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), slot);
            return wait > TimeSpan.Zero ? Task.Delay(wait, cancellation) : Task.CompletedTask;
        }
    }
}
