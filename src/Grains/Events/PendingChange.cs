using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// The event a resource's last write owes the tenant's feed, kept in the resource's state with the write itself, so
/// a crash before the append is repaired by the next activation (which appends it idempotently).
/// </summary>
[GenerateSerializer, Immutable, Alias("rfpio.pending-change")]
public sealed record PendingChange(
    [property: Id(0)] ChangeKind Kind,
    [property: Id(1)] IReadOnlyList<string> Attributes,
    [property: Id(2)] DateTimeOffset Time,
    [property: Id(3)] string? TraceId);
