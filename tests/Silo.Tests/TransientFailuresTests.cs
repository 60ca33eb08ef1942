using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// The failover drill (bench/failover-drill.py) causes these for real with a killed silo; here only the
/// classification, because a test cannot make Orleans reject a message on demand.
/// </summary>
public sealed class TransientFailuresTests
{
    [Fact]
    public void IsTransient_SiloUnavailableOrTimeout_IsTrue()
    {
        Assert.True(TransientFailures.IsTransient(new SiloUnavailableException("silo S127.0.0.1:11112 is dead")));
        Assert.True(TransientFailures.IsTransient(new TimeoutException("response did not arrive")));
        Assert.True(TransientFailures.IsTransient(new InvalidOperationException("wrapped", new SiloUnavailableException())));
    }

    [Fact]
    public void IsTransient_BugsAndNothing_AreFalse()
    {
        Assert.False(TransientFailures.IsTransient(new InvalidOperationException("a bug")));
        Assert.False(TransientFailures.IsTransient(new ArgumentException("bad argument")));
        Assert.False(TransientFailures.IsTransient(null));
    }
}
