using System.Text.Json;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Grains;

/// <summary>
/// What a write changed, as its event says it (RFC 9967 §2.4): the attributes whose values differ (top-level names;
/// an extension by its URN), and the kind. A PUT or PATCH that changes <c>active</c> is an activate or deactivate,
/// so a receiver that acts on disabling needs to watch one event, as Entra ID and Okta disable by
/// <c>active=false</c>.
/// </summary>
internal static class ResourceChanges
{
    public static PendingChange Of(ChangeKind kind, ScimDocument? previous, ScimDocument current, DateTimeOffset time, string? traceId)
    {
        var attributes = Changed(previous, current);
        if (previous is not null && previous.Active != current.Active && current.Active is { } active)
        {
            kind = active ? ChangeKind.Activate : ChangeKind.Deactivate;
        }
        return new PendingChange(kind, attributes, time, traceId);
    }

    private static List<string> Changed(ScimDocument? previous, ScimDocument current)
    {
        var names = new List<string>();
        foreach (var property in current.Root.EnumerateObject())
        {
            if (previous is null || !previous.Root.TryGetProperty(property.Name, out var before) || !JsonElement.DeepEquals(before, property.Value))
            {
                names.Add(property.Name);
            }
        }
        if (previous is not null)
        {
            foreach (var property in previous.Root.EnumerateObject())
            {
                if (!current.Root.TryGetProperty(property.Name, out _))
                {
                    names.Add(property.Name);
                }
            }
        }
        return names;
    }
}
