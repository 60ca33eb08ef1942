namespace RfpioGateway.Grains;

/// <summary>A member of a group: a user's id and the name it had when it was added (the member's <c>display</c>).</summary>
[GenerateSerializer, Immutable, Alias("rfpio.group-member")]
public sealed record GroupMember([property: Id(0)] string UserId, [property: Id(1)] string? Display);
