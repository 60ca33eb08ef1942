using System.Text;
using System.Text.Json;
using Azure.Core;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Stands in for Microsoft Entra ID, which this machine cannot reach: mints the shape of token Entra ID issues a
/// workload for Azure Storage (issuer, audience, lifetime), unsigned, which is all Azurite's basic OAuth checks.
/// </summary>
public sealed class EmulatorTokenCredential(string audience) : TokenCredential
{
    public const string StorageAudience = "https://storage.azure.com";

    private int _issued;

    public int TokensIssued => Volatile.Read(ref _issued);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _issued);
        var now = DateTimeOffset.UtcNow;
        var expires = now.AddHours(1);
        var header = Encode(new { alg = "none", typ = "JWT" });
        var payload = Encode(new
        {
            aud = audience,
            iss = "https://sts.windows.net/72f988bf-0000-0000-0000-000000000000/",
            iat = now.AddMinutes(-1).ToUnixTimeSeconds(),
            nbf = now.AddMinutes(-1).ToUnixTimeSeconds(),
            exp = expires.ToUnixTimeSeconds(),
            oid = "00000000-0000-0000-0000-00000000a11e",
        });
        return new AccessToken($"{header}.{payload}.", expires);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Encode(object value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
