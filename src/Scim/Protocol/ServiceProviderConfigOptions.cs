namespace RfpioGateway.Scim.Protocol;

/// <summary>What <c>/ServiceProviderConfig</c> advertises; the limits it names are the ones the service enforces.</summary>
public sealed record ServiceProviderConfigOptions
{
    public static ServiceProviderConfigOptions Default { get; } = new();

    public string DocumentationUri { get; init; } = "https://github.com/rfpio/rfpio-gateway#readme";

    /// <summary>Most resources one list or search page returns (<c>filter.maxResults</c>).</summary>
    public int MaxResults { get; init; } = 500;

    /// <summary>Largest request body, in bytes (<c>bulk.maxPayloadSize</c>; also enforced at the edge).</summary>
    public int MaxPayloadSize { get; init; } = 1024 * 1024;

    public bool SortSupported { get; init; } = true;

    public bool ETagSupported { get; init; } = true;
}
