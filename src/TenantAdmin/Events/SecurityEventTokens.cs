using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.TenantAdmin.Events;

/// <summary>
/// Turns a feed event into a signed SET (RFC 8417) with RFC 9967's claims: <c>sub_id</c> in the <c>scim</c> format
/// naming the resource's relative URI, one entry in <c>events</c> (a notice's changed <c>attributes</c> or a full
/// event's <c>data</c>, with the resource's <c>version</c>), <c>txn</c> the trace id of the SCIM request that made it
/// (so a receiver can correlate, and a trace can be found), <c>toe</c> when it happened. The <c>jti</c> is stable across
/// redeliveries: the tenant and the event's sequence.
/// </summary>
internal sealed class SecurityEventTokens(EventSigningKeys keys, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string JtiOf(TenantId tenant, long sequence) => $"{tenant.Value}:{sequence}";

    public static long? SequenceOf(TenantId tenant, string jti)
    {
        ArgumentNullException.ThrowIfNull(jti);
        var prefix = tenant.Value + ":";
        return jti.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(jti.AsSpan(prefix.Length), out var sequence) ? sequence : null;
    }

    public string Sign(TenantId tenant, string issuer, EventStreamConfig stream, ChangeEvent change)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(change);
        var type = ResourceTypes.Named(change.ResourceType) ?? throw new InvalidOperationException($"Unknown resource type {change.ResourceType}.");
        var uri = $"/{type.Plural}/{change.ResourceId}";
        var full = stream.Full && change.Kind is ChangeKind.Create or ChangeKind.Put or ChangeKind.Patch;
        var payload = new JsonObject { ["version"] = ETag.Format(change.Version) };
        if (full && change.Document is { } document)
        {
            var rendered = ResourceRenderer.Render(ScimDocument.Load(type.Schema, document),
                new ResourceMeta(change.ResourceId, change.Created, change.Time, change.Version, null));
            payload["data"] = JsonNode.Parse(rendered);
        }
        else if (change.Kind is ChangeKind.Create or ChangeKind.Put or ChangeKind.Patch)
        {
            payload["attributes"] = new JsonArray([.. change.Attributes.Select(a => (JsonNode)a)]);
        }
        var claims = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = stream.Audience,
            ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["toe"] = change.Time.ToUnixTimeSeconds(),
            ["jti"] = JtiOf(tenant, change.Sequence),
            ["txn"] = change.TraceIdOnly ?? change.Key,
            ["sub_id"] = new JsonObject { ["format"] = "scim", ["uri"] = uri },
            ["events"] = new JsonObject { [EventUris.Of(change.Kind, full)] = payload },
        };
        return Handler.CreateToken(claims.ToJsonString(), keys.Credentials, new Dictionary<string, object> { ["typ"] = "secevent+jwt" });
    }
}
