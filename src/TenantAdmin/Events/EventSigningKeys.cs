using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace RfpioGateway.TenantAdmin.Events;

/// <summary>The service's SET signing keys (ES256): the first signs, all verify; <c>kid</c> is the key's RFC 7638 thumbprint.</summary>
internal sealed class EventSigningKeys : IDisposable
{
    private readonly List<ECDsa> _keys = [];

    public EventSigningKeys(IEnumerable<string> pems)
    {
        ArgumentNullException.ThrowIfNull(pems);
        foreach (var pem in pems)
        {
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new InvalidOperationException("Events:SigningKeys must be EC P-256 private keys (PEM), for ES256.");
            }
            var security = new ECDsaSecurityKey(key);
            security.KeyId = Base64UrlEncoder.Encode(security.ComputeJwkThumbprint());
            _keys.Add(key);
            Security.Add(security);
        }
    }

    public List<ECDsaSecurityKey> Security { get; } = [];

    /// <summary>Whether there is a key to sign with (a cluster must configure one).</summary>
    public bool CanSign => Security.Count > 0;

    public SigningCredentials Credentials => new(Security[0], SecurityAlgorithms.EcdsaSha256);

    /// <summary>A new key as PEM, for a single node to keep.</summary>
    public static string NewPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The public keys as a JWK Set (RFC 7517).</summary>
    public JsonObject Jwks()
    {
        var keys = new JsonArray();
        foreach (var key in Security)
        {
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key);
            keys.Add(new JsonObject
            {
                ["kty"] = jwk.Kty,
                ["crv"] = jwk.Crv,
                ["x"] = jwk.X,
                ["y"] = jwk.Y,
                ["kid"] = key.KeyId,
                ["use"] = "sig",
                ["alg"] = SecurityAlgorithms.EcdsaSha256,
            });
        }
        return new JsonObject { ["keys"] = keys };
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}
