using RfpioGateway.Scim.Errors;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>A <see cref="ScimError"/> as it crosses a grain call.</summary>
[GenerateSerializer, Immutable, Alias("rfpio.scim-failure")]
/// <remarks>The type travels as its number, so the contract needs no serializer for the core's enum.</remarks>
public sealed record ScimFailure([property: Id(0)] int Status, [property: Id(1)] int Type, [property: Id(2)] string Detail)
{
    public static ScimFailure From(ScimError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Status, (int)error.Type, error.Detail);
    }

    public ScimError ToError() => new(Status, (ScimErrorType)Type, Detail);
}
