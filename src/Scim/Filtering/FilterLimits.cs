namespace RfpioGateway.Scim.Filtering;

/// <summary>Bounds that keep a hostile filter from costing more than a normal one.</summary>
public sealed record FilterLimits
{
    public static FilterLimits Default { get; } = new();

    /// <summary>Longest filter accepted, in characters. Entra ID's filters are under 200.</summary>
    public int MaxLength { get; init; } = 4096;

    /// <summary>Deepest nesting of parentheses, <c>not</c> and value paths.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most comparisons in one filter.</summary>
    public int MaxTerms { get; init; } = 100;
}
