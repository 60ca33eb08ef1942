namespace RfpioGateway.Grains;

/// <summary>
/// What a receiver made of one push: accepted (<c>202</c>); refused the SET itself (<c>400</c> with an RFC 8935 error:
/// redelivering it would be refused again, so it counts as delivered, with its error kept); or not reached
/// (anything else: retried).
/// </summary>
public sealed record PushOutcome(bool Delivered, bool Retry, string? Error)
{
    public static PushOutcome Accepted { get; } = new(true, false, null);

    public static PushOutcome Refused(string error) => new(true, false, error);

    public static PushOutcome Failed(string error) => new(false, true, error);
}
