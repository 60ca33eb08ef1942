using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// The Group resource type (RFC 7643 §4.2). <c>displayName</c> is unique per tenant, case-insensitively, because
/// Entra ID matches groups by it; <c>externalId</c> (Entra's objectId, Okta's group id) is not (RFC 7643 §3.1),
/// and is found through the shards' value index as for users.
/// Members are not part of the stored document: they live in the membership store, one row per member
/// (see docs/architecture.md, Groups), so no state grows with a group's size.
/// </summary>
public static class GroupResource
{
    public static UniqueAttribute DisplayName { get; } = new("displayName", "d", CaseExact: false);

    /// <summary>externalId's key space from when it was unique; its keys are released as their groups are written.</summary>
    public static UniqueAttribute ExternalId { get; } = new("externalId", "x", CaseExact: true);

    public static ResourceType Type { get; } = new()
    {
        Schema = ScimSchemas.GroupResourceType,
        UniqueAttributes = [DisplayName],
        ValueIndexes = ["externalId"],
        RetiredUniqueAttributes = [ExternalId],
        DerivedAttributes = ["members"],
        ShardPrefix = "g",
        Grain = (grains, key) => grains.Get<IGroupGrain>(key),
        DisplayName = document => document.DisplayName,
        // Its representation lists every member; Entra calls sending that back after a PATCH "not advisable".
        PatchAnswersNoContent = true,
    };
}
