using Orleans.Concurrency;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// One user of one tenant (key <see cref="GrainKeys.User"/>). Writes to a user are serialised here, so no update
/// is lost; bodies arrive as the client sent them and are validated by the SCIM core inside the grain.
/// </summary>
[Alias("rfpio.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<UserResult> CreateAsync(byte[] body);

    [Alias("Get"), ReadOnly]
    Task<UserSnapshot?> GetAsync();

    /// <param name="ifMatch">An If-Match header value, or null.</param>
    [Alias("Replace")]
    Task<UserResult> ReplaceAsync(byte[] body, string? ifMatch);

    [Alias("Patch")]
    Task<UserResult> PatchAsync(byte[] body, string? ifMatch);

    [Alias("Delete")]
    Task<UserResult> DeleteAsync(string? ifMatch);

    /// <summary>
    /// Whether this user holds (or is taking) the uniqueness key. Asked by a key whose owner may have crashed
    /// mid-operation; interleaves so it can be answered while this user waits on that key.
    /// </summary>
    [Alias("HoldsKey"), AlwaysInterleave]
    Task<bool> HoldsKeyAsync(UniqueAttribute attribute, string key);
}
