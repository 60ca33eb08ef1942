using System.Diagnostics.CodeAnalysis;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// A tenant: one DNS label (<see cref="TenantLabel"/>), lower case. Only characters that survive
/// every storage key scheme, so a tenant id can sit in a grain key unescaped.
/// </summary>
[GenerateSerializer, Immutable, Alias("rfpio.tenant-id")]
public readonly record struct TenantId
{
    private TenantId(string value) => Value = value;

    [Id(0)]
    public string Value { get; init; }

    public static bool TryParse([NotNullWhen(true)] string? text, out TenantId tenant)
    {
        tenant = default;
        if (text is null || !TenantLabel.IsValid(text))
        {
            return false;
        }
        tenant = new TenantId(text.ToLowerInvariant());
        return true;
    }

    public static TenantId Parse(string text) =>
        TryParse(text, out var tenant) ? tenant : throw new FormatException($"'{text}' is not a valid tenant id.");

    public override string ToString() => Value;
}
