using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RfpioGateway.TenantAdmin.Activity;
using static Microsoft.Playwright.Assertions;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// The tenant admin console in real headless Chromium (<see cref="ChromiumPath"/>), through the real gateway
/// in front of a real silo. Chromium resolves <c>*.localhost</c> to loopback itself, so pages open at
/// <c>http://&lt;tenant&gt;.localhost:&lt;gateway port&gt;/rfpserver/admin/</c>.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ConsoleTests : IClassFixture<EdgeStack>, IAsyncLifetime
{
    private const string Create = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"grace@example.com","displayName":"Grace Hopper","active":true}""";
    private const string Disable = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""";

    private readonly EdgeStack _stack;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public ConsoleTests(EdgeStack stack) => _stack = stack;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath.Find(), Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task Console_AdminSetsUpProvisioning_TokenLifecycleAndActivityWork()
    {
        var credential = await _stack.CreateTenantForAdminAsync("consolea");
        var page = await NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await SignInAsync(page, "consolea", credential);
        await Expect(page.Locator("#aup-state")).ToContainTextAsync("off");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch Auto User Provisioning on" }).ClickAsync();
        await Expect(page.Locator("#aup-state")).ToContainTextAsync("on");
        await Expect(page.Locator("#tenant-url")).ToHaveValueAsync("https://consolea.rfpio.com/rfpserver/scim/v2");

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate SCIM API Token" }).ClickAsync();
        await Expect(page.GetByText("It will not be displayed again for security purposes")).ToBeVisibleAsync();
        var first = await page.GetByLabel("New SCIM API token").InputValueAsync();
        Assert.StartsWith("rfpscim_", first, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Screenshot("console-settings.png"), FullPage = true });
        var created = await _stack.ScimAsync(HttpMethod.Post, "consolea", first, "/Users", Create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        await page.ReloadAsync();
        await Expect(page.GetByLabel("New SCIM API token")).ToHaveCountAsync(0);
        await Expect(page.Locator("#token-state")).ToContainTextAsync("fingerprint");

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate SCIM API Token" }).ClickAsync();
        var second = await page.GetByLabel("New SCIM API token").InputValueAsync();
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _stack.ScimAsync(HttpMethod.Get, "consolea", first, "/Users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _stack.ScimAsync(HttpMethod.Patch, "consolea", second, $"/Users/{id}", Disable)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _stack.ScimAsync(HttpMethod.Post, "consolea", second, "/Users", Create)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _stack.ScimAsync(HttpMethod.Get, "consolea", second, "/Users?filter=userName+eq+%22nobody%40example.com%22")).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch Auto User Provisioning off" }).ClickAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await _stack.ScimAsync(HttpMethod.Get, "consolea", second, "/Users")).StatusCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch Auto User Provisioning on" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke token" }).ClickAsync();
        await Expect(page.Locator("#token-state")).ToContainTextAsync("No token is active");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _stack.ScimAsync(HttpMethod.Get, "consolea", second, "/Users")).StatusCode);

        await _stack.SiloServices.GetRequiredService<ActivityRecorder>().FlushAsync();
        await Nav(page, "Provisioning activity").ClickAsync();
        var rows = page.Locator("#activity tbody tr");
        await Expect(rows.Filter(new() { HasText = "Users.Create" }).Filter(new() { HasText = "created" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "Users.Patch" }).Filter(new() { HasText = "disabled" })).ToHaveCountAsync(1);
        // A list shows what it asked for where a user would be named.
        await Expect(rows.Filter(new() { HasText = "Users.List" }).Locator("code.query")).ToHaveTextAsync("userName eq \"nobody@example.com\"");
        // Match the status cell itself: "403" can also occur inside a random trace id or a duration.
        ILocator Status(string text) => page.Locator("td:nth-child(4)", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{text}$") });
        await Expect(rows.Filter(new() { Has = Status("409 uniqueness") })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { Has = Status("403") })).ToHaveCountAsync(1);
        await Expect(rows.First.Locator("td:nth-child(4)")).ToHaveTextAsync("403");
        await Expect(page.Locator("#count-created")).ToHaveTextAsync("1");
        await Expect(page.Locator("#count-disabled")).ToHaveTextAsync("1");
        await Expect(page.Locator("#count-failed")).ToHaveTextAsync("2");
        await page.ScreenshotAsync(new() { Path = Screenshot("console-activity.png"), FullPage = true });

        await page.GetByLabel("Outcome").SelectOptionAsync("failure");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);

        await Nav(page, "Provisioned users").ClickAsync();
        await page.GetByLabel("userName starts with").FillAsync("grace");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("#user-total")).ToContainTextAsync("1 user");
        await page.GetByRole(AriaRole.Link, new() { Name = "grace@example.com" }).ClickAsync();
        await Expect(page.Locator("#user-json")).ToContainTextAsync("\"active\": false");
        await Expect(page.Locator("#user-json")).ToContainTextAsync(id);
    }

    [Fact]
    public async Task SignIn_OtherTenantsCredential_IsRefused()
    {
        var mine = await _stack.CreateTenantForAdminAsync("consoleb");
        await _stack.CreateTenantForAdminAsync("consolec");
        var page = await NewPageAsync();

        await page.GotoAsync($"http://consolec.localhost:{_stack.GatewayAddress.Port}/rfpserver/admin/");
        await page.GetByLabel("Tenant admin credential").FillAsync(mine);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.Locator("#signin-error")).ToContainTextAsync("does not open this tenant's console");
        await page.GotoAsync($"http://consolec.localhost:{_stack.GatewayAddress.Port}/rfpserver/admin/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/rfpserver/admin/signin$"));
    }

    [Theory]
    [InlineData("/rfpserver/admin")]
    [InlineData("/rfpserver/admin/")]
    [InlineData("/rfpserver/admin/activity")]
    [InlineData("/rfpserver/admin/users")]
    [InlineData("/rfpserver/admin/users/0000000000000000000000000000abcd")]
    public async Task Page_NoSession_RedirectsToSignInAndShowsNothing(string path)
    {
        await _stack.CreateTenantForAdminAsync("consolef");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.GatewayAddress, path));
        request.Headers.Host = $"consolef.localhost:{_stack.GatewayAddress.Port}";

        using var response = await _stack.Http.SendAsync(request);

        Assert.Equal("/rfpserver/admin/signin", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.DoesNotContain("Auto User Provisioning", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutAntiForgeryValue_IsRejectedAndChangesNothing()
    {
        var credential = await _stack.CreateTenantForAdminAsync("consoled");
        var page = await NewPageAsync();
        await SignInAsync(page, "consoled", credential);

        // What a forging page makes the browser send: the browser's own cookies (session and nonce) go along, the
        // anti-forgery value does not (or is a guess).
        var missing = await PostWithBrowserCookiesAsync(page, "consoled", "/rfpserver/admin/provisioning", ("enabled", "true"));
        var forged = await PostWithBrowserCookiesAsync(page, "consoled", "/rfpserver/admin/token", ("_csrf", new string('0', 64)));

        Assert.Equal(400, missing);
        Assert.Equal(400, forged);
        await page.GotoAsync($"http://consoled.localhost:{_stack.GatewayAddress.Port}/rfpserver/admin/");
        await Expect(page.Locator("#aup-state")).ToContainTextAsync("off");
        await Expect(page.Locator("#token-state")).ToContainTextAsync("No token is active");

        // The same request with the page's own anti-forgery value is accepted: only that value was missing.
        var csrf = await page.Locator("input[name=_csrf]").First.InputValueAsync();
        await PostWithBrowserCookiesAsync(page, "consoled", "/rfpserver/admin/provisioning", ("enabled", "true"), ("_csrf", csrf));
        await page.ReloadAsync();
        await Expect(page.Locator("#aup-state")).ToContainTextAsync("on");
    }

    [Fact]
    public async Task Console_PhoneWidthAndKeyboard_NoSidewaysScrollEveryControlLabelledKeyboardWorks()
    {
        var credential = await _stack.CreateTenantForAdminAsync("consolee");
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 375, Height = 740 }, IsMobile = true });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "consolee", credential);

        // Keyboard only: tab to the switch and press Enter.
        var switchOn = page.GetByRole(AriaRole.Button, new() { Name = "Switch Auto User Provisioning on" });
        for (var i = 0; i < 20 && !await switchOn.EvaluateAsync<bool>("b => b === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#aup-state")).ToContainTextAsync("on");

        foreach (var path in new[] { "/", "/activity", "/users" })
        {
            await page.GotoAsync($"http://consolee.localhost:{_stack.GatewayAddress.Port}/rfpserver/admin{path}");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways at phone width");
            var unlabelled = await page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('input:not([type=hidden]), select')].filter(e => e.labels.length === 0).map(e => e.id || e.name)");
            Assert.Empty(unlabelled);
        }
    }

    [Fact]
    public async Task Console_ActivityOnA1280PixelScreen_WholeTableVisibleIncludingTraceIds()
    {
        var credential = await _stack.CreateTenantForAdminAsync("consolef");
        var token = await _stack.Client.CreateTenantAsync("consolef");
        for (var i = 0; i < 3; i++)
        {
            await _stack.ScimAsync(HttpMethod.Post, "consolef", token, "/Users", Create.Replace("grace@", $"grace{i}@", StringComparison.Ordinal));
        }
        await _stack.SiloServices.GetRequiredService<ActivityRecorder>().FlushAsync();
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "consolef", credential);

        await page.GotoAsync($"http://consolef.localhost:{_stack.GatewayAddress.Port}/rfpserver/admin/activity");
        await Expect(page.Locator("#activity tbody tr").First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('.table')].every(t => t.scrollWidth <= t.clientWidth)"),
            "the activity table scrolls sideways at 1280 px");
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('#activity td.trace')].every(c => c.scrollWidth <= c.clientWidth && c.textContent.trim().length === 32)"),
            "a trace id is clipped");
    }

    private async Task<int> PostWithBrowserCookiesAsync(IPage page, string tenant, string path, params (string Name, string Value)[] fields)
    {
        var cookies = await page.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "rfpio_admin");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_stack.GatewayAddress, path))
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Host = $"{tenant}.localhost:{_stack.GatewayAddress.Port}";
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        using var response = await _stack.Http.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static ILocator Nav(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = name });

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        return await context.NewPageAsync();
    }

    private async Task SignInAsync(IPage page, string tenant, string credential)
    {
        await page.GotoAsync($"http://{tenant}.localhost:{_stack.GatewayAddress.Port}/rfpserver/admin/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/rfpserver/admin/signin$"));
        await page.GetByLabel("Tenant admin credential").FillAsync(credential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "SCIM settings" })).ToBeVisibleAsync();
    }

    private static string Screenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
