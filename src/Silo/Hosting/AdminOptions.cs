namespace RfpioGateway.Silo.Hosting;

/// <summary>Configuration section <c>Admin</c>.</summary>
internal sealed class AdminOptions
{
    /// <summary>Bearer key of the operator API. A single node without one generates it and writes it to the data folder.</summary>
    public string? ApiKey { get; set; }
}
