namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// How to answer a filter: through an index lookup whose candidates are then checked against the whole
/// <see cref="Filter"/>, or (when <see cref="Lookup"/> is null) by scanning.
/// </summary>
public sealed record FilterPlan(IndexLookup? Lookup, FilterNode Filter)
{
    public bool UsesIndex => Lookup is not null;
}
