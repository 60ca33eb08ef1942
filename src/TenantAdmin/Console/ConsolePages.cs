using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.TenantAdmin.Activity;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.TenantAdmin.Console;

/// <summary>
/// The console's pages as plain server-rendered HTML. Every value that is not a literal goes through
/// <see cref="H"/>; the only script is <c>assets/console.js</c> (copy buttons, confirmations).
/// </summary>
internal static class ConsolePages
{
    private const string Base = ConsoleSessions.Path;

    public static string H(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string SignIn(string tenant, string csrf, string? error) => Layout($"Sign in · {tenant}", tenant, null, csrf, $$"""
        <h1>Sign in to {{H(tenant)}}</h1>
        <p class="muted">RFPIO admin console for the tenant <strong>{{H(tenant)}}</strong>.</p>
        {{(error is null ? "" : $"""<p class="error" role="alert" id="signin-error">{H(error)}</p>""")}}
        <form method="post" action="{{Base}}/signin">
          <input type="hidden" name="{{ConsoleSessions.CsrfField}}" value="{{H(csrf)}}">
          <p><label for="credential">Tenant admin credential</label><br>
          <input id="credential" name="credential" type="password" autocomplete="current-password" required size="48"
            aria-describedby="credential-help"{{(error is null ? "" : " aria-invalid=\"true\"")}}></p>
          <p id="credential-help" class="muted">The credential (starting <code>rfpadm_</code>) your RFPIO operator gave you.</p>
          <button type="submit">Sign in</button>
        </form>
        """);

    /// <param name="streams">The tenant's event streams (id, status) and the feed's head, for the change-events section.</param>
    public static string Settings(string tenant, string csrf, TenantInfo info, string tenantUrl, string? newToken,
        IReadOnlyList<(string Id, EventStreamStatus Status)> streams, long head) =>
        Layout($"SCIM settings · {tenant}", tenant, "settings", csrf, $$"""
        <p class="crumbs">Organization Settings › User Management › Security › SCIM</p>
        <h1>SCIM settings</h1>
        {{NewToken(newToken)}}
        <section aria-labelledby="aup">
          <h2 id="aup">Auto User Provisioning</h2>
          <p id="aup-state">Auto User Provisioning is <span class="{{(info.ProvisioningEnabled ? "status-on" : "status-off")}}">{{(info.ProvisioningEnabled ? "on" : "off")}}</span>.
            {{(info.ProvisioningEnabled ? "Your identity provider can create, update, disable and delete users." : "Every SCIM request is refused (403) and nothing changes.")}}</p>
          <form method="post" action="{{Base}}/provisioning">
            <input type="hidden" name="{{ConsoleSessions.CsrfField}}" value="{{H(csrf)}}">
            <input type="hidden" name="enabled" value="{{(info.ProvisioningEnabled ? "false" : "true")}}">
            <button type="submit" class="{{(info.ProvisioningEnabled ? "danger" : "")}}">{{(info.ProvisioningEnabled ? "Switch Auto User Provisioning off" : "Switch Auto User Provisioning on")}}</button>
          </form>
        </section>
        <section aria-labelledby="token">
          <h2 id="token">SCIM API token</h2>
          {{(info.TokenIssuedAt is { } issued
              ? $"""<p id="token-state">A token is active: issued {H(Time(issued))}, fingerprint <code>{H(info.TokenFingerprint)}</code>. The token itself is never shown again.</p>"""
              : """<p id="token-state">No token is active. Generate one and paste it into your identity provider as the Secret Token.</p>""")}}
          <div class="row">
            <form method="post" action="{{Base}}/token"{{(info.TokenIssuedAt is null ? "" : " data-confirm=\"Generating a new token revokes the current one at once: your identity provider stops provisioning until you paste the new token. Continue?\"")}}>
              <input type="hidden" name="{{ConsoleSessions.CsrfField}}" value="{{H(csrf)}}">
              <button type="submit">Generate SCIM API Token</button>
            </form>
            {{(info.TokenIssuedAt is null ? "" : $"""
            <form method="post" action="{Base}/token/revoke" data-confirm="Revoke the SCIM API token? Your identity provider stops provisioning until you generate and paste a new one.">
              <input type="hidden" name="{ConsoleSessions.CsrfField}" value="{H(csrf)}">
              <button type="submit" class="danger">Revoke token</button>
            </form>
            """)}}
          </div>
        </section>
        <section aria-labelledby="url">
          <h2 id="url">Tenant URL</h2>
          <div class="row">
            <label for="tenant-url" class="sr">Tenant URL</label>
            <input id="tenant-url" readonly value="{{H(tenantUrl)}}">
            <button type="button" class="secondary" data-copy="tenant-url">Copy Tenant URL</button>
            <span id="tenant-url-status" role="status"></span>
          </div>
        </section>
        {{Streams(streams, head)}}
        <section aria-labelledby="idp">
          <h2 id="idp">Set up your identity provider</h2>
          <details open><summary>Microsoft Entra ID</summary>
            <ol>
              <li>Entra admin center → Enterprise applications → RFPIO → Provisioning; set Provisioning Mode to <strong>Automatic</strong>.</li>
              <li>Tenant URL: the URL above. Secret Token: the SCIM API token.</li>
              <li>Select <strong>Test Connection</strong>; it must succeed.</li>
              <li>Under Mappings, provision <strong>users only</strong> (turn group provisioning off), then start provisioning.</li>
              <li>Entra provisions in cycles of about 40 minutes; watch them under <a href="{{Base}}/activity">Provisioning activity</a>.</li>
            </ol>
          </details>
          <details><summary>Okta</summary>
            <ol>
              <li>Applications → RFPIO → Provisioning → Integration: enable API integration.</li>
              <li>Base URL: the Tenant URL above; API Token: the SCIM API token; Test API Credentials.</li>
              <li>To App: enable Create Users, Update User Attributes and Deactivate Users.</li>
            </ol>
          </details>
        </section>
        """);

    /// <summary>Where the RFPIO application learns of changes: each stream's delivery, how far behind it is, and its last failure.</summary>
    private static string Streams(IReadOnlyList<(string Id, EventStreamStatus Status)> streams, long head)
    {
        if (streams.Count == 0)
        {
            return """
            <section aria-labelledby="events">
              <h2 id="events">Change events</h2>
              <p id="events-state">No event stream: the RFPIO application is not receiving this tenant's changes as events. Your RFPIO operator sets streams up.</p>
            </section>
            """;
        }
        var rows = string.Concat(streams.Select(s =>
        {
            var config = s.Status.Config!;
            var lag = Math.Max(0, head - s.Status.Acknowledged);
            var state = s.Status.Failing ? "<span class=\"status-off\">failing</span>" : lag == 0 ? "<span class=\"status-on\">up to date</span>" : $"{lag} behind";
            var last = config.Push ? s.Status.LastDelivery : s.Status.LastPoll;
            return $"""
              <tr><td><code>{H(s.Id[..8])}</code></td><td>{H(config.Push ? "push to " + config.Endpoint : "poll")}</td><td>{state}</td>
                <td>{H(last is { } at ? Time(at) : "never")}</td><td>{H(s.Status.LastError ?? "")}</td></tr>
            """;
        }));
        return $"""
            <section aria-labelledby="events">
              <h2 id="events">Change events</h2>
              <table id="streams"><thead><tr><th>Stream</th><th>Delivery</th><th>State</th><th>Last delivery or poll</th><th>Last error</th></tr></thead>
              <tbody>{rows}</tbody></table>
            </section>
            """;
    }

    private static string NewToken(string? token) => token is null ? "" : $"""
        <div class="once" role="alert">
          <p><strong>Copy your new SCIM API token now.</strong> It will not be displayed again for security purposes. Any earlier token no longer works.</p>
          <div class="row">
            <label id="new-token-label" for="new-token">New SCIM API token</label>
            <input id="new-token" readonly value="{H(token)}">
            <button type="button" data-copy="new-token">Copy token</button>
            <span id="new-token-status" role="status"></span>
          </div>
        </div>
        """;

    public static string Activity(string tenant, string csrf, ActivityQuery query, ActivityPage page, IReadOnlyDictionary<string, int> last24h, string queryString)
    {
        var rows = new StringBuilder();
        foreach (var r in page.Records)
        {
            var user = r.UserName ?? r.ResourceId;
            var userCell = r.ResourceId is { } id && r.Outcome != ActivityOutcomes.Deleted && r.Status < 400
                ? $"""<a href="{Base}/users/{H(id)}">{H(user)}</a>"""
                : r.Query is { } asked && user is null ? $"""<code class="query">{H(asked)}</code>""" : H(user);
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{H(r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}</td><td>{H(r.Operation)}</td><td class="{(r.Status >= 400 ? "bad" : "")}">{H(r.Outcome)}</td>
                <td>{r.Status}{(r.ScimType is null ? "" : " " + H(r.ScimType))}</td><td class="user">{userCell}</td><td class="client">{H(r.UserAgent)}</td>
                <td>{r.DurationMs.ToString("0.#", CultureInfo.InvariantCulture)} ms</td><td class="mono trace">{H(r.TraceId)}</td></tr>
                """);
        }
        var tiles = string.Concat(ActivityOutcomes.Counted.Select(o => $"""<li><strong id="count-{o}">{last24h.GetValueOrDefault(o)}</strong>{H(o)}</li>"""));
        var operations = string.Concat(ActivityQueryParser.Operations.Select(o => $"""<option value="{H(o)}"{(query.Operation == o ? " selected" : "")}>{H(o)}</option>"""));
        var older = page.Next is { } next ? $"""<a href="{Base}/activity?{H(queryString)}{(queryString.Length > 0 ? "&amp;" : "")}before={next}">Older entries</a>""" : "";
        return Layout($"Provisioning activity · {tenant}", tenant, "activity", csrf, $$"""
            <h1>Provisioning activity</h1>
            <h2 id="last24">Last 24 hours</h2>
            <ul class="tiles" aria-labelledby="last24">{{tiles}}</ul>
            <form method="get" action="{{Base}}/activity" class="filters" aria-label="Filter activity">
              <div><label for="result">Outcome</label>
                <select id="result" name="result"><option value="">All</option>
                  <option value="success"{{(query.Result == "success" ? " selected" : "")}}>Succeeded</option>
                  <option value="failure"{{(query.Result == "failure" ? " selected" : "")}}>Failed</option></select></div>
              <div><label for="operation">Operation</label>
                <select id="operation" name="operation"><option value="">All</option>{{operations}}</select></div>
              <div><label for="from">From (UTC)</label><input id="from" name="from" type="datetime-local" value="{{H(Local(query.From))}}"></div>
              <div><label for="to">To (UTC)</label><input id="to" name="to" type="datetime-local" value="{{H(Local(query.To))}}"></div>
              <button type="submit">Apply</button>
            </form>
            <p class="muted">Newest first. Requests with a wrong token are not recorded. Times are UTC.</p>
            <div class="table"><table id="activity">
              <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Operation</th><th scope="col">Outcome</th><th scope="col">Status</th>
                <th scope="col">User or query</th><th scope="col">Client</th><th scope="col">Duration</th><th scope="col">Trace id</th></tr></thead>
              <tbody>{{(rows.Length == 0 ? """<tr><td colspan="8">No activity matches.</td></tr>""" : rows.ToString())}}</tbody>
            </table></div>
            <nav class="pager" aria-label="Activity pages">{{older}}</nav>
            """);
    }

    public static string Users(string tenant, string csrf, string prefix, string active, int startIndex, int count, int total, IReadOnlyList<(string Id, string? UserName, string? DisplayName, bool? Active)> users, string? error)
    {
        var rows = string.Concat(users.Select(u => $"""
            <tr><td><a href="{Base}/users/{H(u.Id)}">{H(u.UserName)}</a></td><td>{H(u.DisplayName)}</td>
            <td>{(u.Active == false ? "inactive" : "active")}</td><td class="mono">{H(u.Id)}</td></tr>
            """));
        string Link(int start, string text) =>
            $"""<a href="{Base}/users?prefix={Uri.EscapeDataString(prefix)}&amp;active={Uri.EscapeDataString(active)}&amp;startIndex={start}">{text}</a>""";
        var pager = (startIndex > 1 ? Link(Math.Max(1, startIndex - count), "Previous page") : "")
            + (startIndex + users.Count <= total && users.Count > 0 && startIndex + count <= total ? Link(startIndex + count, "Next page") : "");
        return Layout($"Provisioned users · {tenant}", tenant, "users", csrf, $$"""
            <h1>Provisioned users</h1>
            <form method="get" action="{{Base}}/users" class="filters" role="search" aria-label="Search users">
              <div><label for="prefix">userName starts with</label><input id="prefix" name="prefix" value="{{H(prefix)}}"></div>
              <div><label for="active">Status</label>
                <select id="active" name="active"><option value="">Any</option>
                  <option value="true"{{(active == "true" ? " selected" : "")}}>Active</option>
                  <option value="false"{{(active == "false" ? " selected" : "")}}>Inactive</option></select></div>
              <button type="submit">Search</button>
            </form>
            {{(error is null ? "" : $"""<p class="error" role="alert">{H(error)}</p>""")}}
            <p id="user-total">{{total}} {{(total == 1 ? "user" : "users")}}{{(total > 0 ? $", showing {startIndex}–{startIndex + users.Count - 1}" : "")}}.</p>
            <div class="table"><table id="users">
              <thead><tr><th scope="col">userName</th><th scope="col">Display name</th><th scope="col">Status</th><th scope="col">id</th></tr></thead>
              <tbody>{{(users.Count == 0 ? """<tr><td colspan="4">No users match.</td></tr>""" : rows)}}</tbody>
            </table></div>
            <nav class="pager" aria-label="User pages">{{pager}}</nav>
            """);
    }

    public static string User(string tenant, string csrf, string userName, string json) => Layout($"{userName} · {tenant}", tenant, "users", csrf, $"""
        <p><a href="{Base}/users">← Provisioned users</a></p>
        <h1>{H(userName)}</h1>
        <p class="muted">The user as the SCIM API returns it.</p>
        <pre id="user-json" tabindex="0" aria-label="SCIM JSON of {H(userName)}">{H(json)}</pre>
        """);

    public static string Groups(string tenant, string csrf, string name, int startIndex, int count, int total,
        IReadOnlyList<(string Id, string? DisplayName, string? ExternalId, long Members)> groups, string? error)
    {
        var rows = string.Concat(groups.Select(g => $"""
            <tr><td><a href="{Base}/groups/{H(g.Id)}">{H(g.DisplayName)}</a></td><td class="number">{g.Members.ToString("N0", CultureInfo.InvariantCulture)}</td>
            <td class="mono">{H(g.ExternalId)}</td><td class="mono">{H(g.Id)}</td></tr>
            """));
        string Link(int start, string text) =>
            $"""<a href="{Base}/groups?name={Uri.EscapeDataString(name)}&amp;startIndex={start}">{text}</a>""";
        var pager = (startIndex > 1 ? Link(Math.Max(1, startIndex - count), "Previous page") : "")
            + (groups.Count > 0 && startIndex + count <= total ? Link(startIndex + count, "Next page") : "");
        return Layout($"Provisioned groups · {tenant}", tenant, "groups", csrf, $$"""
            <h1>Provisioned groups</h1>
            <form method="get" action="{{Base}}/groups" class="filters" role="search" aria-label="Search groups">
              <div><label for="name">Name starts with</label><input id="name" name="name" value="{{H(name)}}"></div>
              <button type="submit">Search</button>
            </form>
            {{(error is null ? "" : $"""<p class="error" role="alert">{H(error)}</p>""")}}
            <p id="group-total">{{total}} {{(total == 1 ? "group" : "groups")}}{{(total > 0 ? $", showing {startIndex}–{startIndex + groups.Count - 1}" : "")}}.</p>
            <div class="table"><table id="groups">
              <thead><tr><th scope="col">Name</th><th scope="col">Members</th><th scope="col">externalId</th><th scope="col">id</th></tr></thead>
              <tbody>{{(groups.Count == 0 ? """<tr><td colspan="4">No groups match.</td></tr>""" : rows)}}</tbody>
            </table></div>
            <nav class="pager" aria-label="Group pages">{{pager}}</nav>
            """);
    }

    public static string Group(string tenant, string csrf, string id, string name, string? externalId, long total,
        IReadOnlyList<(string Id, string? Display)> members, bool paged, string? nextAfter)
    {
        var rows = string.Concat(members.Select(m => $"""
            <tr><td><a href="{Base}/users/{H(m.Id)}">{H(m.Display ?? m.Id)}</a></td><td class="mono">{H(m.Id)}</td></tr>
            """));
        var pager = (paged ? $"""<a href="{Base}/groups/{H(id)}">First page</a>""" : "")
            + (nextAfter is null ? "" : $"""<a href="{Base}/groups/{H(id)}?after={H(nextAfter)}">Next page</a>""");
        return Layout($"{name} · {tenant}", tenant, "groups", csrf, $"""
            <p><a href="{Base}/groups">← Provisioned groups</a></p>
            <h1>{H(name)}</h1>
            <p id="member-total">{total.ToString("N0", CultureInfo.InvariantCulture)} {(total == 1 ? "member" : "members")}{(externalId is null ? "" : $" · externalId <code>{H(externalId)}</code>")} · id <code>{H(id)}</code></p>
            <div class="table"><table id="members">
              <thead><tr><th scope="col">Member</th><th scope="col">User id</th></tr></thead>
              <tbody>{(members.Count == 0 ? """<tr><td colspan="2">No members.</td></tr>""" : rows)}</tbody>
            </table></div>
            <nav class="pager" aria-label="Member pages">{pager}</nav>
            """);
    }

    public static string NotFound(string message) => Layout("Not found", null, null, null, $"""<h1>Not found</h1><p>{H(message)}</p>""");

    private static string Layout(string title, string? tenant, string? current, string? csrf, string body)
    {
        string Nav(string key, string href, string text) =>
            $"""<a href="{href}"{(current == key ? " aria-current=\"page\"" : "")}>{text}</a>""";
        var header = current is null || csrf is null
            ? $"""<header><p class="brand">RFPIO admin{(tenant is null ? "" : " · " + H(tenant))}</p></header>"""
            : $"""
              <header>
                <p class="brand">RFPIO admin · {H(tenant)}</p>
                <nav aria-label="Console">{Nav("settings", Base + "/", "SCIM settings")}{Nav("activity", Base + "/activity", "Provisioning activity")}{Nav("users", Base + "/users", "Provisioned users")}{Nav("groups", Base + "/groups", "Provisioned groups")}</nav>
                <form method="post" action="{Base}/signout"><input type="hidden" name="{ConsoleSessions.CsrfField}" value="{H(csrf)}"><button type="submit" class="secondary">Sign out</button></form>
              </header>
              """;
        return $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{H(title)}</title>
            <link rel="stylesheet" href="{Base}/assets/console.css">
            <script src="{Base}/assets/console.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            {header}
            <main id="main">
            {body}
            </main>
            </body>
            </html>
            """;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Local(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) ?? "";
}
