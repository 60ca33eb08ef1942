using System.Text.Json;

namespace RfpioGateway.Gateway.Tests;

internal static class ScimErrorAssert
{
    /// <summary>The response is an RFC 7644 §3.12 error with this status, as application/scim+json; returns its detail.</summary>
    public static async Task<string> IsScimErrorAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body.RootElement.GetProperty("schemas")[0].GetString());
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), body.RootElement.GetProperty("status").GetString());
        var detail = body.RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail!;
    }

    /// <summary>The same for an answer read off a raw connection; returns its body.</summary>
    public static string IsScimError(RawHttp.Answer answer, int status)
    {
        Assert.Equal(status, answer.Status);
        Assert.StartsWith("application/scim+json", answer.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(answer.Body);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body.RootElement.GetProperty("schemas")[0].GetString());
        return answer.Body;
    }

    public static async Task<JsonElement> EchoAsync(HttpResponseMessage response)
    {
        Assert.Equal(200, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }
}
