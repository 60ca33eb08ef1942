namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// One change a SCIM request made, as the tenant's feed keeps it: enough to build the SET for any stream (notice or
/// full) at delivery. <see cref="Key"/> makes appending idempotent, so a write repaired after a crash yields its event
/// once; <see cref="Sequence"/> is assigned by the feed (0 until then), with no gaps.
/// </summary>
[GenerateSerializer, Immutable, Alias("rfpio.change-event")]
public sealed record ChangeEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string ResourceType,
    [property: Id(2)] string ResourceId,
    [property: Id(3)] long Version,
    [property: Id(4)] ChangeKind Kind,
    [property: Id(5)] DateTimeOffset Time,
    [property: Id(6)] IReadOnlyList<string> Attributes,
    [property: Id(7)] byte[]? Document,
    [property: Id(8)] DateTimeOffset Created,
    [property: Id(9)] string? TraceId)
{
    /// <summary>Where the SCIM API leaves the request's W3C trace context in the Orleans request context of its grain calls.</summary>
    public const string TraceParentContextKey = "rfpio.traceparent";

    public string Key => $"{ResourceType}/{ResourceId}/{Version}/{Kind}";

    /// <summary>The trace id alone (the 32 hex digits of a W3C traceparent), or null.</summary>
    public string? TraceIdOnly => TraceId is { Length: 55 } parent && parent.StartsWith("00-", StringComparison.Ordinal) ? parent[3..35] : TraceId;
}
