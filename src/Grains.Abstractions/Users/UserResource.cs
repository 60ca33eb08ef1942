using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// The User resource type (RFC 7643 §4.1 with the enterprise extension). Its key prefixes are the ones users were
/// stored under before there were other types: they must not change.
/// </summary>
public static class UserResource
{
    public static UniqueAttribute UserName { get; } = new("userName", "n", CaseExact: false);

    public static UniqueAttribute ExternalId { get; } = new("externalId", "e", CaseExact: true);

    public static ResourceType Type { get; } = new()
    {
        Schema = ScimSchemas.UserResourceType,
        UniqueAttributes = [UserName, ExternalId],
        SummaryAttributes = ["externalId", "userName", "displayName", "active", "name", "emails", "title", "userType", "meta"],
        ShardPrefix = "",
        Grain = (grains, key) => grains.Get<IUserGrain>(key),
        DisplayName = document => document.UserName,
    };
}
