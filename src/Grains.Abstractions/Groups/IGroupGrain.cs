namespace RfpioGateway.Grains.Abstractions;

/// <summary>One group of one tenant (key <see cref="GrainKeys.Resource"/>): a resource whose members it alone changes.</summary>
[Alias("rfpio.IGroupGrain")]
public interface IGroupGrain : IResourceGrain
{
    /// <summary>Takes a deleted user out of this group (a no-op when it is not a member).</summary>
    [Alias("RemoveDeletedMember")]
    Task RemoveDeletedMemberAsync(string userId);
}
