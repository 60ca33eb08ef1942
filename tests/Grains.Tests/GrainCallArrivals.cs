using System.Collections.Concurrent;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Counts grain calls as they reach their grain (an incoming filter on every test silo), so a test can wait until
/// calls it sent are queued at a grain, where the grain's own answers would only show them once they are done.
/// </summary>
public static class GrainCallArrivals
{
    private static readonly ConcurrentDictionary<string, int> Counts = new(StringComparer.Ordinal);

    public static Task CountAsync(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Counts.AddOrUpdate(Key(context.TargetId, context.MethodName), 1, (_, n) => n + 1);
        return context.Invoke();
    }

    /// <summary>Calls of <paramref name="method"/> that have reached <paramref name="grain"/> so far.</summary>
    public static int Of(GrainId grain, string method) => Counts.GetValueOrDefault(Key(grain, method));

    private static string Key(GrainId grain, string method) => $"{grain}/{method}";
}
