namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// The key a case-insensitive index stores. Two strings fold to the same key exactly when
/// <see cref="StringComparison.OrdinalIgnoreCase"/> calls them equal, which is how filters compare
/// <c>userName</c>: so a uniqueness check agrees with the <c>filter=userName eq</c> the IdP just ran.
/// No Unicode normalisation: the filter does not normalise either.
/// </summary>
public static class CaseFolding
{
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToUpperInvariant();
    }
}
