namespace RfpioGateway.Grains;

/// <summary>One page of a listing: the exact number of matches and the resources on this page.</summary>
public sealed record ResourcePage(int Total, IReadOnlyList<ListedResource> Resources);
