namespace RfpioGateway.Grains.Abstractions;

/// <summary>The outcome of a resource operation: the resource afterwards, or a SCIM failure. Deletes succeed with none.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.resource-result")]
public sealed record ResourceResult([property: Id(0)] ResourceSnapshot? Resource, [property: Id(1)] ScimFailure? Failure)
{
    public bool IsSuccess => Failure is null;

    public static ResourceResult Success(ResourceSnapshot? resource) => new(resource, null);

    public static ResourceResult Fail(ScimFailure failure) => new(null, failure);
}
