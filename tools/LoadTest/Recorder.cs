using System.Collections.Concurrent;
using System.Diagnostics;

namespace RfpioGateway.LoadTest;

/// <summary>Every request's tenant, operation, status and latency, and when it finished. Thread-safe.</summary>
public sealed class Recorder
{
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _completed;

    public long Completed => Interlocked.Read(ref _completed);

    private long _failed;

    /// <summary>Requests that got no answer, a 5xx or a 429.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public void Record(string tenant, string operation, int status, TimeSpan latency)
    {
        _samples.Enqueue(new Sample(tenant, operation, status, latency.TotalMilliseconds, Elapsed.TotalSeconds));
        Interlocked.Increment(ref _completed);
        if (status is 0 or >= 500 or 429)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public IReadOnlyList<Sample> Samples => [.. _samples];

    /// <param name="Status">HTTP status; 0 when no answer came (connection refused, reset, timeout).</param>
    /// <param name="At">Seconds since the run started when the answer arrived.</param>
    public sealed record Sample(string Tenant, string Operation, int Status, double LatencyMs, double At);
}
