namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// The failover tests run alone: two silo processes and their store take both cores, and the browser tests beside them
/// would slow the surviving silo's failure detection for no reason.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverCollection
{
    public const string Name = "failover";
}
