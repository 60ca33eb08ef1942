using Orleans.Concurrency;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// The list of tenants, for operators (key <see cref="GrainKeys.Registry"/>), and the tenants whose offboarding is
/// unfinished. Its state grows with the number of tenants (tens of bytes each), never with users.
/// </summary>
[Alias("rfpio.ITenantRegistryGrain")]
public interface ITenantRegistryGrain : IGrainWithStringKey
{
    /// <summary>Lists the tenant; a new tenant of an offboarded name also clears any stale offboarding mark.</summary>
    [Alias("Add")]
    Task AddAsync(TenantId tenant);

    /// <summary>Forgets the tenant, offboarding mark included.</summary>
    [Alias("Remove")]
    Task RemoveAsync(TenantId tenant);

    /// <summary>Remembers that the tenant's offboarding has started, so it is resumed until the tenant is gone.</summary>
    [Alias("MarkOffboarding")]
    Task MarkOffboardingAsync(TenantId tenant);

    /// <summary>Remembers whether the tenant has event streams, so a starting silo wakes them (a push stream has no
    /// timer after a restart until something wakes it).</summary>
    [Alias("SetHasStreams")]
    Task SetHasStreamsAsync(TenantId tenant, bool hasStreams);

    /// <summary>
    /// Activates the registry, which then wakes unfinished offboardings and the event streams of tenants that have
    /// any (a push stream that is behind resumes pushing); each silo calls it when it starts.
    /// </summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>Tenant ids in order, after <paramref name="after"/> (exclusive), at most <paramref name="count"/>.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync(string? after, int count);

    /// <summary>Tenants whose offboarding is unfinished, in order.</summary>
    [Alias("ListOffboarding"), ReadOnly]
    Task<IReadOnlyList<string>> ListOffboardingAsync();
}
