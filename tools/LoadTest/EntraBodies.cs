using System.Globalization;

namespace RfpioGateway.LoadTest;

/// <summary>Request bodies shaped like Entra ID's (see ../shared/reference/entra-scim-client.md): string booleans, Replace ops, filtered paths, the manager as a bare id.</summary>
public static class EntraBodies
{
    public const string Disable = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""";

    public static string Create(string userName, int i) => $$$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "externalId":"{{{Guid.NewGuid():D}}}","userName":"{{{userName}}}","active":true,"displayName":"User {{{{i}}}}",
         "emails":[{"primary":true,"type":"work","value":"{{{userName}}}"}],
         "meta":{"resourceType":"User"},
         "name":{"formatted":"User {{{{i}}}}","familyName":"Number{{{{i}}}}","givenName":"User"},
         "title":"Engineer","preferredLanguage":"en-US",
         "phoneNumbers":[{"type":"work","value":"+1 425 555 {{{(i % 10000).ToString("0000", CultureInfo.InvariantCulture)}}}"},{"type":"mobile","value":"+1 206 555 0100"}],
         "addresses":[{"type":"work","streetAddress":"1 Microsoft Way","locality":"Redmond","region":"WA","postalCode":"98052","country":"US","primary":true}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"{{{{i}}}}","department":"Engineering","costCenter":"CC{{{i % 50}}}"}}
        """;

    public static string Update(int cycle, int i, string managerId) => $$$"""
        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
          {"op":"Replace","path":"displayName","value":"User {{{i}}} (cycle {{{cycle}}})"},
          {"op":"Replace","path":"title","value":"Engineer {{{cycle}}}"},
          {"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 206 555 {{{(cycle % 10000).ToString("0000", CultureInfo.InvariantCulture)}}}"},
          {"op":"Replace","path":"addresses[type eq \"work\"].locality","value":"Redmond {{{cycle}}}"},
          {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"{{{managerId}}}"},
          {"op":"Replace","path":"active","value":"True"}]}
        """;

    private const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /// <summary>Entra's group create: its extra schema URI, objectId as externalId, no members (added by PATCH).</summary>
    public static string CreateGroup(string displayName) => $$$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
         "externalId":"{{{Guid.NewGuid():D}}}","displayName":"{{{displayName}}}","meta":{"resourceType":"Group"}}
        """;

    public static string AddMembers(IEnumerable<string> ids) =>
        Patch("{\"op\":\"Add\",\"path\":\"members\",\"value\":" + Members(ids, id => "{\"$ref\":null,\"value\":\"" + id + "\"}") + "}");

    public static string RemoveMember(string id) =>
        Patch("{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"$ref\":null,\"value\":\"" + id + "\"}]}");

    public static string Rename(string displayName) => Patch("{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"" + displayName + "\"}");

    /// <summary>Okta's Group Push create: members empty.</summary>
    public static string OktaCreateGroup(string displayName) =>
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"" + displayName + "\",\"members\":[]}";

    /// <summary>Okta's membership update: the pathless rename it sends every time, then the changes.</summary>
    public static string OktaPush(string groupId, string displayName, IEnumerable<string> add, IEnumerable<string> remove)
    {
        var operations = new List<string> { "{\"op\":\"replace\",\"value\":{\"id\":\"" + groupId + "\",\"displayName\":\"" + displayName + "\"}}" };
        operations.AddRange(remove.Select(id => "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + id + "\\\"]\"}"));
        var added = add.ToList();
        if (added.Count > 0)
        {
            operations.Add("{\"op\":\"add\",\"path\":\"members\",\"value\":" + Members(added, id => "{\"value\":\"" + id + "\",\"display\":\"" + id + "\"}") + "}");
        }
        return Patch(string.Join(",", operations));
    }

    /// <summary>Okta's PUT: the whole group with its full member list.</summary>
    public static string OktaReplace(string groupId, string displayName, IEnumerable<string> members) =>
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"id\":\"" + groupId + "\",\"displayName\":\"" + displayName
        + "\",\"members\":" + Members(members, id => "{\"value\":\"" + id + "\"}") + "}";

    private static string Patch(string operations) => "{\"schemas\":[\"" + PatchOp + "\"],\"Operations\":[" + operations + "]}";

    private static string Members(IEnumerable<string> ids, Func<string, string> member) => "[" + string.Join(",", ids.Select(member)) + "]";
}
