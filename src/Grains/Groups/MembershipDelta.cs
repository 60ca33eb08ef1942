namespace RfpioGateway.Grains;

/// <summary>
/// What one write changes in a group's members: everything removed first when <see cref="Clear"/>, then
/// <see cref="Remove"/> taken out and <see cref="Add"/> put in. Applying it twice is the same as once, which is
/// what lets a crash after the group's write be finished by re-applying it. Bounded by the request that made it.
/// </summary>
[GenerateSerializer, Immutable, Alias("rfpio.membership-delta")]
public sealed record MembershipDelta(
    [property: Id(0)] bool Clear,
    [property: Id(1)] IReadOnlyList<GroupMember> Add,
    [property: Id(2)] IReadOnlyList<string> Remove)
{
    public bool IsEmpty => !Clear && Add.Count == 0 && Remove.Count == 0;
}
