namespace RfpioGateway.Scim.Errors;

/// <summary>
/// Unwinds deep validation or parsing code with a <see cref="ScimError"/>. It never leaves the core:
/// every public entry point catches it and returns a <see cref="ScimResult{T}"/>.
/// </summary>
internal sealed class ScimException(ScimError error) : Exception(error.Detail)
{
    public ScimError Error { get; } = error;
}
