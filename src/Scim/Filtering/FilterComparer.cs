using System.Globalization;
using System.Text.Json;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Filtering;

/// <summary>Compares one JSON value with a filter value under the attribute's type and caseExact rules.</summary>
internal static class FilterComparer
{
    public static bool? AsBoolean(FilterValue value) => value.Kind switch
    {
        FilterValueKind.Boolean => value.Text == "true",
        // Entra ID writes roles[primary eq "True"].
        FilterValueKind.String when bool.TryParse(value.Text, out var parsed) => parsed,
        _ => null,
    };

    public static decimal? AsNumber(FilterValue value) =>
        value.Kind is FilterValueKind.Number or FilterValueKind.String
        && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    public static DateTimeOffset? AsInstant(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var instant)
            ? instant
            : null;

    public static bool Compare(JsonElement actual, AttributeDefinition definition, ComparisonOperator op, FilterValue expected)
    {
        switch (definition.Type)
        {
            case AttributeType.Boolean:
                var actualBoolean = actual.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String when bool.TryParse(actual.GetString(), out var parsed) => parsed,
                    _ => (bool?)null,
                };
                return actualBoolean is not null && actualBoolean == AsBoolean(expected) && op == ComparisonOperator.Equal;
            case AttributeType.Integer or AttributeType.Decimal:
                if (actual.ValueKind != JsonValueKind.Number || !actual.TryGetDecimal(out var actualNumber) || AsNumber(expected) is not { } number)
                {
                    return false;
                }
                return Ordered(actualNumber.CompareTo(number), op);
            case AttributeType.DateTime:
                if (actual.ValueKind != JsonValueKind.String || AsInstant(actual.GetString()!) is not { } actualInstant
                    || AsInstant(expected.Text) is not { } instant)
                {
                    return false;
                }
                return Ordered(actualInstant.CompareTo(instant), op);
            default:
                if (actual.ValueKind != JsonValueKind.String)
                {
                    return false;
                }
                var text = actual.GetString()!;
                var comparison = definition.CaseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
                return op switch
                {
                    ComparisonOperator.Contains => text.Contains(expected.Text, comparison),
                    ComparisonOperator.StartsWith => text.StartsWith(expected.Text, comparison),
                    ComparisonOperator.EndsWith => text.EndsWith(expected.Text, comparison),
                    _ => Ordered(string.Compare(text, expected.Text, comparison), op),
                };
        }
    }

    private static bool Ordered(int order, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => order == 0,
        ComparisonOperator.GreaterThan => order > 0,
        ComparisonOperator.GreaterThanOrEqual => order >= 0,
        ComparisonOperator.LessThan => order < 0,
        ComparisonOperator.LessThanOrEqual => order <= 0,
        _ => false,
    };
}
