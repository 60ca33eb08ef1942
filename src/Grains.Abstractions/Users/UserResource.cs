using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// The User resource type (RFC 7643 §4.1 with the enterprise extension). Its key prefixes are the ones users were
/// stored under before there were other types: they must not change. <c>userName</c> is unique (RFC 7643 §4.1.1);
/// <c>externalId</c> is not (§3.1), and is found through the shards' value index.
/// </summary>
public static class UserResource
{
    public static UniqueAttribute UserName { get; } = new("userName", "n", CaseExact: false);

    /// <summary>externalId's key space from when it was unique; its keys are released as their users are written.</summary>
    public static UniqueAttribute ExternalId { get; } = new("externalId", "e", CaseExact: true);

    public static ResourceType Type { get; } = new()
    {
        Schema = ScimSchemas.UserResourceType,
        UniqueAttributes = [UserName],
        ValueIndexes = ["externalId"],
        RetiredUniqueAttributes = [ExternalId],
        DerivedAttributes = ["groups"],
        ShardPrefix = "",
        Grain = (grains, key) => grains.Get<IUserGrain>(key),
        DisplayName = document => document.UserName,
    };
}
