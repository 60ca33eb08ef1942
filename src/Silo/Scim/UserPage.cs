namespace RfpioGateway.Silo.Scim;

/// <summary>One page of a listing: the exact number of matches and the users on this page.</summary>
public sealed record UserPage(int Total, IReadOnlyList<ListedUser> Users);
