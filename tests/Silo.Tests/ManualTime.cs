namespace RfpioGateway.Silo.Tests;

/// <summary>A clock the test moves by hand, for code whose behaviour depends on elapsed time.</summary>
internal sealed class ManualTime : TimeProvider, Microsoft.Extensions.Internal.ISystemClock
{
    public DateTimeOffset Now { get; private set; } = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public DateTimeOffset UtcNow => Now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
