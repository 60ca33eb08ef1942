namespace RfpioGateway.Silo.Hosting;

/// <summary>Configuration section <c>Dashboard</c>: the Orleans dashboard at <c>/dashboard</c>, behind the operator key.</summary>
internal sealed class DashboardSettings
{
    /// <summary>
    /// Off by default: while on, the dashboard wraps every grain call in its profiler and collects the silo's metrics
    /// every second, and one of those (Orleans' activation count) walks every activation, so with 70,000 active
    /// users it took 5.6% of the silo's CPU (docs/benchmarks.md). Switch it on to look, and off again.
    /// </summary>
    public bool Enabled { get; set; }
}
