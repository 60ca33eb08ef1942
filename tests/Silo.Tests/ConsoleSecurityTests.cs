using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// The console as an attacker would try it, over real HTTP with cookies handled by hand: a replayed cookie after
/// sign-out, a replayed token flash, a planted anti-forgery nonce, and a flood of wrong credentials.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed partial class ConsoleSecurityTests(SiloServer silo)
{
    private const string Base = "/rfpserver/admin";

    [Fact]
    public async Task SignOut_SessionCookieReplayedAfterwards_SignInAgain()
    {
        const string tenant = "console-signout";
        var admin = await SignInAsync(tenant);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/")).StatusCode);
        var stolen = admin.Cookies;

        var signedOut = await admin.PostAsync("/signout", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var replay = new Browser(silo, tenant) { Cookies = stolen };
        var answer = await replay.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.EndsWith("/signin", answer.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flash_ReplayedAfterTheTokenWasShown_NotShownAgain()
    {
        const string tenant = "console-flash";
        var admin = await SignInAsync(tenant);
        await admin.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync("/token", [])).StatusCode);
        var flash = admin.Cookies["rfpio_flash"];
        Assert.DoesNotContain("rfpscim_", flash, StringComparison.Ordinal);

        var shown = await (await admin.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Matches("rfpscim_[A-Za-z0-9_-]{20,}", shown);

        admin.Cookies["rfpio_flash"] = flash;
        var replayed = await (await admin.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.DoesNotMatch("rfpscim_[A-Za-z0-9_-]{20,}", replayed);
    }

    [Fact]
    public async Task Post_AttackerPlantedNonceWithItsOwnValue_RefusedWhileThePagesOwnValueWorks()
    {
        const string tenant = "console-csrf";
        var victim = await SignInAsync(tenant);
        await victim.GetAsync("/");

        // The attacker fetches a form with a nonce of its choosing, then plants that nonce in the victim's browser.
        var attacker = new Browser(silo, tenant);
        await attacker.GetAsync("/signin");
        var forged = new Browser(silo, tenant) { Cookies = new(victim.Cookies) { ["rfpio_csrf"] = attacker.Cookies["rfpio_csrf"] }, Csrf = attacker.Csrf };
        var refused = await forged.PostAsync("/provisioning", [new("enabled", "false")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var accepted = await victim.PostAsync("/provisioning", [new("enabled", "false")]);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    [Fact]
    public async Task SignIn_FloodOfWrongCredentials_ThrottledWhileTheAdminStillSignsIn()
    {
        const string tenant = "console-throttle";
        var credential = await CredentialAsync(tenant);

        var attacker = new Browser(silo, tenant) { Source = "203.0.113.5" };
        await attacker.GetAsync("/signin");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add((await attacker.PostAsync("/signin", [new("credential", $"rfpadm_wrong{i}")])).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, answers[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);

        // Wrong credentials from many places use up the tenant's failures; sources that failed are then refused.
        var others = Enumerable.Range(0, 40).Select(i => new Browser(silo, tenant) { Source = $"198.51.100.{i}" }).ToList();
        foreach (var other in others)
        {
            await other.GetAsync("/signin");
            Assert.Equal(HttpStatusCode.Unauthorized, (await other.PostAsync("/signin", [new("credential", "rfpadm_guess")])).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await others[1].PostAsync("/signin", [new("credential", "rfpadm_again")])).StatusCode);

        // The real admin, who has not failed, still gets in.
        var admin = new Browser(silo, tenant) { Source = "192.0.2.44" };
        await admin.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync("/signin", [new("credential", credential)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Settings_WithAPollStreamBehind_ShowsTheStreamAndHowFarBehind()
    {
        const string tenant = "console-streams";
        var admin = await SignInAsync(tenant);
        Assert.Contains("No event stream", await (await admin.GetAsync("/")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var created = await silo.Admin(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/streams", """{"delivery":"poll"}""");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var token = await silo.IssueTokenAsync(tenant);
        await silo.Scim(HttpMethod.Post, tenant, token, "/Users", """{"userName":"seen@example.com"}""");
        await silo.Scim(HttpMethod.Post, tenant, token, "/Users", """{"userName":"seen2@example.com"}""");

        var page = await (await admin.GetAsync("/")).Content.ReadAsStringAsync();

        Assert.Contains($"<code>{id[..8]}</code>", page, StringComparison.Ordinal);
        Assert.Contains("2 behind", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_SearchByNameAndMembersPaged_ShowsCountsAndEveryMemberOnce()
    {
        const string tenant = "console-groups";
        var admin = await SignInAsync(tenant);
        var token = await silo.IssueTokenAsync(tenant);
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var user = await silo.Scim(HttpMethod.Post, tenant, token, "/Users", $$"""{"userName":"cg{{i}}@example.com","displayName":"Console member {{i}}"}""");
            ids.Add((await user.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        var members = string.Join(",", ids.Select(id => $$"""{"value":"{{id}}"}"""));
        var created = await silo.Scim(HttpMethod.Post, tenant, token, "/Groups", $$"""{"displayName":"Console <Team>","members":[{{members}}]}""");
        var group = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await silo.Scim(HttpMethod.Post, tenant, token, "/Groups", """{"displayName":"Other"}""");

        var list = await (await admin.GetAsync("/groups?name=console")).Content.ReadAsStringAsync();
        Assert.Contains("1 group,", list, StringComparison.Ordinal);
        Assert.Contains("Console &lt;Team&gt;", list, StringComparison.Ordinal);
        Assert.Contains(">60<", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Other", list, StringComparison.Ordinal);

        var first = await (await admin.GetAsync($"/groups/{group}")).Content.ReadAsStringAsync();
        var next = Regex.Match(first, "after=([0-9a-f]{32})").Groups[1].Value;
        var second = await (await admin.GetAsync($"/groups/{group}?after={next}")).Content.ReadAsStringAsync();
        Assert.Contains("60 members", first, StringComparison.Ordinal);
        var shown = ids.Where(id => first.Contains($"users/{id}", StringComparison.Ordinal) || second.Contains($"users/{id}", StringComparison.Ordinal)).ToList();
        Assert.Equal(60, shown.Count);
        Assert.All(ids, id => Assert.False(first.Contains($"users/{id}", StringComparison.Ordinal) && second.Contains($"users/{id}", StringComparison.Ordinal)));
        Assert.DoesNotContain("Next page", second, StringComparison.Ordinal);
    }

    private async Task<string> CredentialAsync(string tenant)
    {
        await silo.CreateTenantAsync(tenant);
        var issued = await silo.Admin(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/admin-credential");
        return (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credential").GetString()!;
    }

    private async Task<Browser> SignInAsync(string tenant)
    {
        var credential = await CredentialAsync(tenant);
        var browser = new Browser(silo, tenant);
        await browser.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/signin", [new("credential", credential)])).StatusCode);
        return browser;
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([0-9a-f]+)\"")]
    private static partial Regex CsrfField();

    /// <summary>A browser reduced to what matters here: its cookies, the last form's anti-forgery value, its address.</summary>
    private sealed class Browser(SiloServer silo, string tenant)
    {
        public Dictionary<string, string> Cookies { get; init; } = [];

        public string? Csrf { get; set; }

        /// <summary>The client address the silo sees (as the gateway's X-Forwarded-For says).</summary>
        public string? Source { get; init; }

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, Uri(path)));

        public Task<HttpResponseMessage> PostAsync(string path, KeyValuePair<string, string>[] form) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, Uri(path))
            {
                Content = new FormUrlEncodedContent([.. form, new("_csrf", Csrf ?? "")]),
            });

        private Uri Uri(string path) => new(silo.BaseAddress, Base + path);

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            request.Headers.Host = $"{tenant}.localhost";
            if (Source is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", Source);
            }
            if (Cookies.Count > 0)
            {
                request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
            }
            using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
            using var client = new HttpClient(handler);
            var response = await client.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0].Split('=', 2);
                if (header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    Cookies.Remove(pair[0]);
                }
                else
                {
                    Cookies[pair[0]] = pair[1];
                }
            }
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                var html = await response.Content.ReadAsStringAsync();
                if (CsrfField().Match(html) is { Success: true } match)
                {
                    Csrf = match.Groups[1].Value;
                }
            }
            return response;
        }
    }
}
