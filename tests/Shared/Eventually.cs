namespace RfpioGateway.Tests.Shared;

/// <summary>
/// Waits for a condition that becomes true on a timer the test does not own (health probes, the rate
/// limiter's idle sweep, a background purge): polls, and fails with a clear message after a generous deadline.
/// </summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, int seconds = 30, string? because = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {seconds} s{(because is null ? "" : ": " + because)}.");
            }
            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<bool> condition, int seconds = 30, string? because = null) =>
        TrueAsync(() => Task.FromResult(condition()), seconds, because);
}
