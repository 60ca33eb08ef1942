namespace RfpioGateway.Gateway.Tests;

/// <summary>Tests that read the process heap; other tests' allocations would blur what they measure.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "heap measurement";
}
