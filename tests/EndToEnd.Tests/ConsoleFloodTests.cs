using System.Net;
using System.Text.RegularExpressions;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// Through the real gateway: an anonymous flood on a tenant's console host spends the unauthenticated budget, while the
/// signed-in admin's session spends the tenant's own, so the admin keeps working.
/// </summary>
public sealed partial class ConsoleFloodTests(EdgeStack stack) : IClassFixture<EdgeStack>
{
    private const string Tenant = "console-flood";

    [Fact]
    public async Task Console_AnonymousFloodOnTheTenantsHost_SignedInAdminKeepsBeingServed()
    {
        var credential = await stack.CreateTenantForAdminAsync(Tenant);
        var cookies = new Dictionary<string, string>();
        var signIn = await SendAsync(HttpMethod.Get, "/signin", cookies);
        var csrf = CsrfField().Match(await signIn.Content.ReadAsStringAsync()).Groups[1].Value;
        var signedIn = await SendAsync(HttpMethod.Post, "/signin", cookies, new FormUrlEncodedContent([new("credential", credential), new("_csrf", csrf)]));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/", cookies)).StatusCode); // the gateway learns the session here

        var flood = Enumerable.Range(0, 300).Select(_ => SendAsync(HttpMethod.Get, "/signin", []));
        var admin = Enumerable.Range(0, 30).Select(_ => SendAsync(HttpMethod.Get, "/activity", cookies));
        var floodAnswers = await Task.WhenAll(flood);
        var adminAnswers = await Task.WhenAll(admin);

        Assert.All(adminAnswers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.True(floodAnswers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests) >= 150,
            "the anonymous flood was not limited by the unauthenticated budget");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Dictionary<string, string> cookies, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(stack.GatewayAddress, "/rfpserver/admin" + path)) { Content = content };
        request.Headers.Host = $"{Tenant}.localhost";
        if (cookies.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        }
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false };
        using var http = new HttpClient(handler);
        var response = await http.SendAsync(request);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';')[0].Split('=', 2);
            cookies[pair[0]] = pair[1];
        }
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([0-9a-f]+)\"")]
    private static partial Regex CsrfField();
}
