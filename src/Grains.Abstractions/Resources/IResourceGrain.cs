using Orleans.Concurrency;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// One resource of one tenant, of any type (key <see cref="GrainKeys.Resource"/>). Writes to a resource are
/// serialised here, so no update is lost; bodies arrive as the client sent them and are validated by the SCIM core
/// inside the grain, against the type's schema.
/// </summary>
[Alias("rfpio.IResourceGrain")]
public interface IResourceGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<ResourceResult> CreateAsync(byte[] body);

    [Alias("Get"), ReadOnly]
    Task<ResourceSnapshot?> GetAsync();

    /// <param name="ifMatch">An If-Match header value, or null.</param>
    [Alias("Replace")]
    Task<ResourceResult> ReplaceAsync(byte[] body, string? ifMatch);

    [Alias("Patch")]
    Task<ResourceResult> PatchAsync(byte[] body, string? ifMatch);

    [Alias("Delete")]
    Task<ResourceResult> DeleteAsync(string? ifMatch);

    /// <summary>
    /// Whether this resource holds (or is taking) the uniqueness key. Asked by a key whose owner may have crashed
    /// mid-operation; interleaves so it can be answered while this resource waits on that key.
    /// </summary>
    [Alias("HoldsKey"), AlwaysInterleave]
    Task<bool> HoldsKeyAsync(string key);
}
