using System.Diagnostics.CodeAnalysis;

namespace RfpioGateway.Scim.Errors;

/// <summary>Either a value or a <see cref="ScimError"/>: how the core reports expected failures.</summary>
public readonly struct ScimResult<T>
{
    private readonly T? _value;

    private ScimResult(T? value, ScimError? error)
    {
        _value = value;
        Error = error;
    }

    public ScimError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public T Value => Error is null ? _value! : throw new InvalidOperationException($"No value: {Error.Detail}");

    public static ScimResult<T> Success(T value) => new(value, null);

    public static ScimResult<T> Failure(ScimError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(default, error);
    }

    public static implicit operator ScimResult<T>(ScimError error) => Failure(error);

    public bool TryGetValue([MaybeNullWhen(false)] out T value, [MaybeNullWhen(true)] out ScimError error)
    {
        value = _value;
        error = Error;
        return Error is null;
    }

    internal static ScimResult<T> Run(Func<T> action)
    {
        try
        {
            return Success(action());
        }
        catch (ScimException e)
        {
            return Failure(e.Error);
        }
    }
}
