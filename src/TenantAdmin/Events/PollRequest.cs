using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RfpioGateway.Scim.Errors;

namespace RfpioGateway.TenantAdmin.Events;

/// <summary>An RFC 8936 §2.4 poll: acknowledgements and errors by <c>jti</c>, how many SETs at most, and whether to wait.</summary>
internal sealed record PollRequest(IReadOnlyList<long> Acknowledged, IReadOnlyDictionary<long, string> Errors, int MaxEvents, bool ReturnImmediately)
{
    public static bool TryParse(byte[] body, TenantId tenant, int limit, [NotNullWhen(true)] out PollRequest? poll, [NotNullWhen(false)] out ScimError? error)
    {
        poll = null;
        error = null;
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(body.Length == 0 ? "{}"u8 : body);
        }
        catch (JsonException)
        {
            error = ScimError.InvalidSyntax("The body must be an RFC 8936 poll request, a JSON object such as {\"ack\": [], \"maxEvents\": 10}.");
            return false;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = ScimError.InvalidSyntax("The body must be an RFC 8936 poll request, a JSON object such as {\"ack\": [], \"maxEvents\": 10}.");
            return false;
        }
        var acknowledged = new List<long>();
        if (root.TryGetProperty("ack", out var ack))
        {
            if (ack.ValueKind != JsonValueKind.Array || ack.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                error = ScimError.InvalidValue("ack must be a list of jti strings.");
                return false;
            }
            // A jti this stream never handed out (another tenant's, a typo) acknowledges nothing.
            acknowledged.AddRange(ack.EnumerateArray().Select(a => SecurityEventTokens.SequenceOf(tenant, a.GetString()!)).OfType<long>());
        }
        var errors = new Dictionary<long, string>();
        if (root.TryGetProperty("setErrs", out var setErrs))
        {
            if (setErrs.ValueKind != JsonValueKind.Object)
            {
                error = ScimError.InvalidValue("setErrs must be an object of jti → {\"err\": …, \"description\": …}.");
                return false;
            }
            foreach (var entry in setErrs.EnumerateObject())
            {
                if (SecurityEventTokens.SequenceOf(tenant, entry.Name) is { } sequence)
                {
                    var err = entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("err", out var e) ? e.ToString() : "error";
                    var description = entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("description", out var d) ? d.ToString() : "";
                    var text = $"{entry.Name}: {err} {description}".Trim();
                    errors[sequence] = text.Length > 300 ? text[..300] : text;
                }
            }
        }
        var max = 10;
        if (root.TryGetProperty("maxEvents", out var maxEvents))
        {
            if (maxEvents.ValueKind != JsonValueKind.Number || !maxEvents.TryGetInt32(out max) || max < 0)
            {
                error = ScimError.InvalidValue("maxEvents must be a whole number, 0 or more.");
                return false;
            }
        }
        var immediately = root.TryGetProperty("returnImmediately", out var returnImmediately) && returnImmediately.ValueKind == JsonValueKind.True;
        poll = new PollRequest(acknowledged, errors, Math.Min(max, limit), immediately);
        return true;
    }
}
