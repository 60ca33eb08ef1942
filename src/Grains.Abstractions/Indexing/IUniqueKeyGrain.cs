using Orleans.Concurrency;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// One value of a unique attribute of one resource type in one tenant (key <see cref="GrainKeys.Unique"/>): which
/// resource holds it. Racing creates serialise here, so exactly one wins.
/// </summary>
[Alias("rfpio.IUniqueKeyGrain")]
public interface IUniqueKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Grants the key to <paramref name="ownerId"/> unless another resource holds it. A holder that no longer claims
    /// the key (it crashed mid-create, or was deleted before releasing) loses it: the key asks before refusing.
    /// </summary>
    [Alias("Reserve")]
    Task<Reservation> ReserveAsync(string ownerId);

    /// <summary>Gives the key up if <paramref name="ownerId"/> holds it.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string ownerId);

    /// <summary>The holder's id, or null: answers <c>filter=userName eq "x"</c> in one call.</summary>
    [Alias("Resolve"), ReadOnly]
    Task<string?> ResolveAsync();
}
