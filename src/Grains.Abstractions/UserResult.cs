namespace RfpioGateway.Grains.Abstractions;

/// <summary>The outcome of a user operation: the user afterwards, or a SCIM failure. Deletes succeed with no user.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.user-result")]
public sealed record UserResult([property: Id(0)] UserSnapshot? User, [property: Id(1)] ScimFailure? Failure, [property: Id(2)] bool Changed = true)
{
    public bool IsSuccess => Failure is null;

    public static UserResult Success(UserSnapshot? user, bool changed = true) => new(user, null, changed);

    public static UserResult Fail(ScimFailure failure) => new(null, failure);
}
