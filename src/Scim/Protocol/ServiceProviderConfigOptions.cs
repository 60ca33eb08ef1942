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

    /// <summary>Most operations one <c>/Bulk</c> request may carry (<c>bulk.maxOperations</c>).</summary>
    public int MaxOperations { get; init; } = 1000;

    /// <summary>Page size of a cursor walk without <c>count</c> (RFC 9865 <c>pagination.defaultPageSize</c>).</summary>
    public int DefaultPageSize { get; init; } = 100;

    /// <summary>How long a cursor stays usable after the page that issued it (RFC 9865 <c>pagination.cursorTimeout</c>).</summary>
    public TimeSpan CursorTimeout { get; init; } = TimeSpan.FromHours(1);

    public bool SortSupported { get; init; } = true;

    public bool ETagSupported { get; init; } = true;
}
