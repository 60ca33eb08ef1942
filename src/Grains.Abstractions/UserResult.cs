namespace RfpioGateway.Grains.Abstractions;

/// <summary>The outcome of a user operation: the user afterwards, or a SCIM failure. Deletes succeed with no user.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.user-result")]
public sealed record UserResult([property: Id(0)] UserSnapshot? User, [property: Id(1)] ScimFailure? Failure)
{
    public bool IsSuccess => Failure is null;

    public static UserResult Success(UserSnapshot? user) => new(user, null);

    public static UserResult Fail(ScimFailure failure) => new(null, failure);
}
