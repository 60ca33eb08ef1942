namespace RfpioGateway.Silo.Hosting;

/// <summary>
/// Failures that mean "the cluster is changing", not "this request is wrong": a silo died or left, and until the
/// membership protocol declares it dead, calls to grains it hosted fail or time out. They are answered 503 with
/// Retry-After, which Entra ID and Okta retry, instead of 500.
/// </summary>
internal static class TransientFailures
{
    public const int RetryAfterSeconds = 2;

    public static bool IsTransient(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
