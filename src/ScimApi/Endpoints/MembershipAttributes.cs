using System.Text.Json;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.ScimApi.Endpoints;

/// <summary>
/// The attributes read from the membership store instead of the stored document: a group's <c>members</c> and a
/// user's <c>groups</c> (RFC 7643 §4.1.2, <c>type: direct</c>). Written page by page with a flush between pages, so
/// a group of 100,000 members streams out and no process holds its whole member list.
/// </summary>
internal sealed class MembershipAttributes(IMembershipStore memberships, IGrainFactory grains)
{
    /// <summary>Members read and written per page.</summary>
    public const int PageSize = 1000;

    private static readonly AttributeDefinition Members = ScimSchemas.Group.FindAttribute("members")!;
    private static readonly AttributeDefinition Groups = ScimSchemas.User.FindAttribute("groups")!;

    /// <summary>The computed attribute of a type, or null.</summary>
    public static AttributeDefinition? Of(ResourceType type) =>
        type == GroupResource.Type ? Members : type == UserResource.Type ? Groups : null;

    /// <summary>
    /// Whether answers of this type are streamed: a group's members are unbounded; a user's groups are bounded
    /// (<see cref="ResourceDirectory.MaxGroupsOfMember"/>), so its answers keep a Content-Length.
    /// </summary>
    public static bool Streams(ResourceType type) => type == GroupResource.Type;

    /// <summary>Whether a response of this type with this selection needs the store at all.</summary>
    public static bool Shown(ResourceType type, AttributeSelection selection) => Of(type) is { } attribute && selection.Shows(attribute, out _, out _);

    /// <summary>Writes the type's computed attribute into an open resource object; <paramref name="flush"/> between pages.</summary>
    public async Task WriteAsync(Utf8JsonWriter writer, ResourceType type, TenantId tenant, string id, AttributeSelection selection, string baseUrl,
        Func<ValueTask> flush)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(flush);
        if (Of(type) is not { } attribute || !selection.Shows(attribute, out var onlySubs, out var excludedSubs))
        {
            return;
        }
        if (type == GroupResource.Type)
        {
            await WriteMembersAsync(writer, tenant, id, baseUrl, attribute, onlySubs, excludedSubs, flush);
        }
        else
        {
            await WriteGroupsAsync(writer, tenant, id, baseUrl, attribute, onlySubs, excludedSubs);
        }
    }

    private async Task WriteMembersAsync(Utf8JsonWriter writer, TenantId tenant, string groupId, string baseUrl, AttributeDefinition attribute,
        IReadOnlySet<AttributeDefinition>? onlySubs, IReadOnlySet<AttributeDefinition>? excludedSubs, Func<ValueTask> flush)
    {
        // Entra expects "members": [] on a new group, so the array is written even when empty.
        writer.WriteStartArray(attribute.Name);
        string? after = null;
        while (true)
        {
            var page = await memberships.ReadMembersAsync(tenant, groupId, after, PageSize);
            foreach (var member in page)
            {
                WriteReference(writer, attribute, onlySubs, excludedSubs, member.UserId, $"{baseUrl}/Users/{member.UserId}", member.Display, "User");
            }
            if (page.Count < PageSize)
            {
                break;
            }
            after = page[^1].UserId;
            await flush();
        }
        writer.WriteEndArray();
    }

    private async Task WriteGroupsAsync(Utf8JsonWriter writer, TenantId tenant, string userId, string baseUrl, AttributeDefinition attribute,
        IReadOnlySet<AttributeDefinition>? onlySubs, IReadOnlySet<AttributeDefinition>? excludedSubs)
    {
        var ids = await memberships.GroupsOfAsync(tenant, userId, null, ResourceDirectory.MaxGroupsOfMember);
        if (ids.Count == 0)
        {
            // A user in no group shows no "groups", as before groups existed.
            return;
        }
        var groups = await Task.WhenAll(ids.Select(id => GroupResource.Type.GrainOf(grains, tenant, id).GetAsync()));
        writer.WriteStartArray(attribute.Name);
        foreach (var group in groups.OfType<ResourceSnapshot>())
        {
            var name = ScimDocument.Load(GroupResource.Type.Schema, group.Document).DisplayName;
            WriteReference(writer, attribute, onlySubs, excludedSubs, group.Id, $"{baseUrl}/Groups/{group.Id}", name, "direct");
        }
        writer.WriteEndArray();
    }

    private static void WriteReference(Utf8JsonWriter writer, AttributeDefinition attribute, IReadOnlySet<AttributeDefinition>? onlySubs,
        IReadOnlySet<AttributeDefinition>? excludedSubs, string value, string reference, string? display, string type)
    {
        writer.WriteStartObject();
        WriteSub(writer, attribute, onlySubs, excludedSubs, "value", value);
        WriteSub(writer, attribute, onlySubs, excludedSubs, "$ref", reference);
        WriteSub(writer, attribute, onlySubs, excludedSubs, "display", display);
        WriteSub(writer, attribute, onlySubs, excludedSubs, "type", type);
        writer.WriteEndObject();
    }

    private static void WriteSub(Utf8JsonWriter writer, AttributeDefinition attribute, IReadOnlySet<AttributeDefinition>? onlySubs,
        IReadOnlySet<AttributeDefinition>? excludedSubs, string name, string? value)
    {
        if (value is not null && attribute.FindSubAttribute(name) is { } sub && AttributeSelection.IncludesSub(sub, onlySubs, excludedSubs))
        {
            writer.WriteString(name, value);
        }
    }
}
