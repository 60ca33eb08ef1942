namespace RfpioGateway.Grains;

[GenerateSerializer, Alias("rfpio.tenant-registry-state")]
internal sealed record TenantRegistryState
{
    [Id(0)] public SortedSet<string> Tenants { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Tenants whose offboarding has started and not finished: the registry wakes them until they are gone.</summary>
    [Id(1)] public SortedSet<string> Offboarding { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Tenants with event streams: a starting silo wakes their streams. Tens of bytes per tenant, like <see cref="Tenants"/>.</summary>
    [Id(2)] public SortedSet<string> WithStreams { get; init; } = new(StringComparer.Ordinal);
}
