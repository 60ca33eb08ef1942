namespace RfpioGateway.ScimApi.Auth;

/// <summary>Configuration section <c>Auth</c>.</summary>
internal sealed class AuthOptions
{
    /// <summary>
    /// Key of the HMAC that stores tokens. Every silo of a cluster needs the same one; a single node without it
    /// generates one and keeps it beside its database.
    /// </summary>
    public string? TokenPepper { get; set; }

    /// <summary>How long a silo trusts a token verdict: revocation, rotation and switching off reach every silo within this.</summary>
    public int VerdictCacheSeconds { get; set; } = 10;
}
