namespace RfpioGateway.Silo.Hosting;

/// <summary>Configuration section <c>Dashboard</c>: the Orleans dashboard at <c>/dashboard</c>, behind the operator key.</summary>
internal sealed class DashboardSettings
{
    /// <summary>
    /// On by default. Off removes its per-grain-call profiling filter as well as the page (docs/benchmarks.md says
    /// what the filter costs).
    /// </summary>
    public bool Enabled { get; set; } = true;
}
