using System.Globalization;
using System.Text.Json;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// A comparison value: a decoded string, a number (kept as its literal text), <c>true</c>/<c>false</c>, or <c>null</c>.
/// </summary>
public sealed record FilterValue(FilterValueKind Kind, string Text)
{
    public static FilterValue Null { get; } = new(FilterValueKind.Null, "null");
    public static FilterValue True { get; } = new(FilterValueKind.Boolean, "true");
    public static FilterValue False { get; } = new(FilterValueKind.Boolean, "false");

    public static FilterValue String(string text) => new(FilterValueKind.String, text);

    public static FilterValue Number(decimal number) =>
        new(FilterValueKind.Number, number.ToString(CultureInfo.InvariantCulture));

    public decimal AsNumber() => decimal.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The filter-syntax form: a JSON string literal, or the bare keyword/number.</summary>
    public override string ToString() => Kind == FilterValueKind.String ? JsonSerializer.Serialize(Text, FilterJson.Options) : Text;
}
