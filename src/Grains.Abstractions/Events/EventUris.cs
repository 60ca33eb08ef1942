namespace RfpioGateway.Grains.Abstractions;

/// <summary>The RFC 9967 §2.4 provisioning event URIs. Create, put and patch come as notice (changed attribute names) or full (the resource).</summary>
public static class EventUris
{
    private const string Prefix = "urn:ietf:params:scim:event:prov:";

    public static string Of(ChangeKind kind, bool full) => kind switch
    {
        ChangeKind.Create => Prefix + (full ? "create:full" : "create:notice"),
        ChangeKind.Put => Prefix + (full ? "put:full" : "put:notice"),
        ChangeKind.Patch => Prefix + (full ? "patch:full" : "patch:notice"),
        ChangeKind.Delete => Prefix + "delete",
        ChangeKind.Activate => Prefix + "activate",
        ChangeKind.Deactivate => Prefix + "deactivate",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Every URI a stream may ask for.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. Enum.GetValues<ChangeKind>().SelectMany(k => new[] { Of(k, full: false), Of(k, full: true) }).Distinct()];

    /// <summary>The kind a URI names (either variant), or null.</summary>
    public static ChangeKind? KindOf(string uri) =>
        Enum.GetValues<ChangeKind>().Cast<ChangeKind?>().FirstOrDefault(k => Of(k!.Value, false) == uri || Of(k!.Value, true) == uri);
}
