using RfpioGateway.Scim.Protocol;

namespace RfpioGateway.Grains;

/// <summary>One page of a cursor walk (RFC 9865): its resources, where the next page starts (null on the last).</summary>
/// <param name="Total">The number of matches, where it costs no more than the page (no filter); else null.</param>
public sealed record CursorPage(int? Total, IReadOnlyList<ListedResource> Resources, CursorPosition? Next);
