using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// Requests to a running stack as its two kinds of callers: the operator, straight to a silo's operator API (the gateway
/// never routes it), and an identity provider, through the gateway for the tenant's host.
/// </summary>
public sealed class StackClient(HttpClient http, Uri gateway, Uri silo, string adminKey)
{
    /// <summary>A tenant ready for an IdP: created, provisioning on; returns a fresh SCIM token.</summary>
    public async Task<string> CreateTenantAsync(string tenant)
    {
        (await AdminAsync(HttpMethod.Put, $"/admin/v1/tenants/{tenant}")).EnsureSuccessStatusCode();
        (await AdminAsync(HttpMethod.Put, $"/admin/v1/tenants/{tenant}/provisioning", """{"enabled":true}""")).EnsureSuccessStatusCode();
        using var response = await AdminAsync(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/token");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A tenant as an operator leaves it for its admin: provisioning off, no token, a console credential.</summary>
    public async Task<string> CreateTenantForAdminAsync(string tenant)
    {
        (await AdminAsync(HttpMethod.Put, $"/admin/v1/tenants/{tenant}")).EnsureSuccessStatusCode();
        using var response = await AdminAsync(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/admin-credential");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credential").GetString()!;
    }

    /// <summary>A SCIM request through the gateway, for the tenant's host, as Entra ID sends it.</summary>
    public async Task<HttpResponseMessage> ScimAsync(HttpMethod method, string tenant, string token, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(gateway, "/rfpserver/scim/v2" + path));
        request.Headers.Host = $"{tenant}.rfpio.com";
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.UserAgent.ParseAdd("Microsoft.AAD.Provisioning/1.0");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/scim+json");
        }
        return await http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(silo, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await http.SendAsync(request);
    }
}
