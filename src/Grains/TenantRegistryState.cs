namespace RfpioGateway.Grains;

[GenerateSerializer, Alias("rfpio.tenant-registry-state")]
public sealed record TenantRegistryState
{
    [Id(0)] public SortedSet<string> Tenants { get; init; } = new(StringComparer.Ordinal);
}
