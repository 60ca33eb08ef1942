namespace RfpioGateway.Scim.Filtering;

/// <summary>Bounds that keep a hostile filter from costing more than a normal one.</summary>
public sealed record FilterLimits
{
    public static FilterLimits Default { get; } = new();

    /// <summary>
    /// For the printed form of a filter that passed <see cref="Default"/>: it nests no deeper and has the same terms
    /// (see <see cref="LogicalFilter"/>), but printing may re-escape values, so its length is not bounded again.
    /// </summary>
    public static FilterLimits Reparse { get; } = new() { MaxLength = int.MaxValue };

    /// <summary>Longest filter accepted, in characters. Entra ID's filters are under 200.</summary>
    public int MaxLength { get; init; } = 4096;

    /// <summary>Deepest nesting of parentheses, <c>not</c> and value paths.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most comparisons in one filter.</summary>
    public int MaxTerms { get; init; } = 100;
}
