using Orleans.Concurrency;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// The list of tenants, for operators (key <see cref="GrainKeys.Registry"/>). Its state grows with the number of
/// tenants (tens of bytes each), never with users.
/// </summary>
[Alias("rfpio.ITenantRegistryGrain")]
public interface ITenantRegistryGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(TenantId tenant);

    [Alias("Remove")]
    Task RemoveAsync(TenantId tenant);

    /// <summary>Tenant ids in order, after <paramref name="after"/> (exclusive), at most <paramref name="count"/>.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync(string? after, int count);
}
