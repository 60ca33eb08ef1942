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
}
