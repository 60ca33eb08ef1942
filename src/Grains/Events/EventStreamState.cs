using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>A stream: its configuration and a cursor; <see cref="Acknowledged"/> holds at most one poll window above it.</summary>
[GenerateSerializer, Alias("rfpio.event-stream-state")]
internal sealed record EventStreamState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public EventStreamConfig? Config { get; init; }
    [Id(2)] public DateTimeOffset Created { get; init; }

    /// <summary>The feed's head when the stream was created: it delivers what came after.</summary>
    [Id(3)] public long StartAfter { get; init; }

    /// <summary>Every event up to this sequence is acknowledged (or not wanted).</summary>
    [Id(4)] public long Cursor { get; init; }

    /// <summary>Acknowledged sequences above the cursor, waiting for the gap below them to close.</summary>
    [Id(5)] public IReadOnlyList<long> Acknowledged { get; init; } = [];

    [Id(6)] public DateTimeOffset? LastPoll { get; init; }
    [Id(7)] public string? LastError { get; init; }
    [Id(8)] public long Errors { get; init; }

    /// <summary>Push: when the receiver last accepted an event.</summary>
    [Id(9)] public DateTimeOffset? LastDelivery { get; init; }

    /// <summary>Push: since when the receiver has not accepted the next event (null while it does).</summary>
    [Id(10)] public DateTimeOffset? FailingSince { get; init; }

    /// <summary>Push: attempts at the next event since it last succeeded.</summary>
    [Id(11)] public int Attempts { get; init; }

    /// <summary>Push: gave up after <c>EventFeed:GiveUpAfterHours</c>; resumed by the operator.</summary>
    [Id(12)] public bool Failing { get; init; }
}
