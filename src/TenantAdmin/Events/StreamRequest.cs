using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RfpioGateway.Scim.Errors;

namespace RfpioGateway.TenantAdmin.Events;

/// <summary>The body of <c>POST …/streams</c>: <c>{"delivery": "poll"|"push", "endpoint"?, "events"?: [URI…], "format"?: "notice"|"full", "audience"?}</c>.</summary>
internal static class StreamRequest
{
    public static bool TryParse(byte[] body, EndpointRules rules, [NotNullWhen(true)] out EventStreamConfig? config, [NotNullWhen(false)] out ScimError? error)
    {
        config = null;
        error = null;
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(body.Length == 0 ? "{}"u8 : body);
        }
        catch (JsonException)
        {
            error = ScimError.InvalidSyntax("The body must be a JSON object such as {\"delivery\": \"poll\"}.");
            return false;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = ScimError.InvalidSyntax("The body must be a JSON object such as {\"delivery\": \"poll\"}.");
            return false;
        }
        var delivery = String(root, "delivery") ?? "poll";
        if (delivery is not ("poll" or "push"))
        {
            error = ScimError.InvalidValue($"delivery '{delivery}' is not one of poll, push.");
            return false;
        }
        var endpoint = String(root, "endpoint");
        if (delivery == "push" && rules.Problem(endpoint) is { } problem)
        {
            error = ScimError.InvalidValue(problem);
            return false;
        }
        var format = String(root, "format") ?? "notice";
        if (format is not ("notice" or "full"))
        {
            error = ScimError.InvalidValue($"format '{format}' is not one of notice, full.");
            return false;
        }
        var events = new List<string>();
        if (root.TryGetProperty("events", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                error = ScimError.InvalidValue("events must be a list of event URIs.");
                return false;
            }
            foreach (var uri in list.EnumerateArray().Select(e => e.GetString()!))
            {
                if (!EventUris.All.Contains(uri))
                {
                    error = ScimError.InvalidValue($"'{uri}' is not an event this service emits; use one of {string.Join(", ", EventUris.All)}.");
                    return false;
                }
                events.Add(uri);
            }
        }
        config = new EventStreamConfig(delivery, events, format == "full", String(root, "audience") ?? "", delivery == "push" ? endpoint : null);
        return true;
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
