using System.Text.Json.Nodes;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Tests.Protocol;

public sealed class DiscoveryTests
{
    private static IEnumerable<JsonNode?> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => new[] { node }.Concat(o.SelectMany(p => Descendants(p.Value))),
        JsonArray a => new[] { node }.Concat(a.SelectMany(Descendants)),
        _ => [node],
    };

    [Fact]
    public void Schema_User_ListsEveryRfcAttributeWithCharacteristics()
    {
        var schema = DiscoveryDocuments.Schema(ScimSchemas.User, "https://acme.rfpio.com/rfpserver/scim/v2");
        var names = schema["attributes"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList();
        string[] rfc =
        [
            "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale",
            "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses", "groups",
            "entitlements", "roles", "x509Certificates",
        ];
        Assert.All(rfc, name => Assert.Contains(name, names));
        var userName = schema["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "userName")!;
        Assert.Equal("string", userName["type"]!.GetValue<string>());
        Assert.True(userName["required"]!.GetValue<bool>());
        Assert.False(userName["caseExact"]!.GetValue<bool>());
        Assert.Equal("readWrite", userName["mutability"]!.GetValue<string>());
        Assert.Equal("server", userName["uniqueness"]!.GetValue<string>());
        Assert.Equal("https://acme.rfpio.com/rfpserver/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", schema["meta"]!["location"]!.GetValue<string>());
    }

    [Fact]
    public void Schema_Enterprise_ManagerIsComplexWithReadOnlyDisplayName()
    {
        var schema = DiscoveryDocuments.Schema(ScimSchemas.EnterpriseUser);
        var manager = schema["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "manager")!;
        Assert.Equal("complex", manager["type"]!.GetValue<string>());
        var displayName = manager["subAttributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "displayName")!;
        Assert.Equal("readOnly", displayName["mutability"]!.GetValue<string>());
    }

    [Fact]
    public void Discovery_AllDocuments_HaveNoNullsAndCamelCasedCharacteristics()
    {
        var documents = ScimSchemas.All.Select(s => DiscoveryDocuments.Schema(s))
            .Concat(ScimSchemas.ResourceTypes.Select(r => DiscoveryDocuments.ResourceType(r)))
            .Append(DiscoveryDocuments.ServiceProviderConfig(ServiceProviderConfigOptions.Default));
        foreach (var document in documents)
        {
            var nodes = Descendants(document).ToList();
            Assert.DoesNotContain(null, nodes);
            foreach (var value in nodes.OfType<JsonValue>().Where(v => v.TryGetValue<string>(out _)))
            {
                var text = value.GetValue<string>();
                Assert.False(text is "ReadWrite" or "ReadOnly" or "Default" or "String" or "Complex", $"'{text}' is not camel-cased");
            }
        }
    }

    [Fact]
    public void ResourceType_User_NamesEnterpriseExtension()
    {
        var resourceType = DiscoveryDocuments.ResourceType(ScimSchemas.UserResourceType);
        Assert.Equal("/Users", resourceType["endpoint"]!.GetValue<string>());
        Assert.Equal(ScimSchemas.EnterpriseUserUrn, resourceType["schemaExtensions"]![0]!["schema"]!.GetValue<string>());
        Assert.False(resourceType["schemaExtensions"]![0]!["required"]!.GetValue<bool>());
    }

    [Fact]
    public void ServiceProviderConfig_AdvertisesWhatIsSupported()
    {
        var config = DiscoveryDocuments.ServiceProviderConfig(new ServiceProviderConfigOptions { MaxResults = 123, MaxOperations = 45 });
        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
        Assert.True(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.Equal(45, config["bulk"]!["maxOperations"]!.GetValue<int>());
        Assert.Equal(123, config["filter"]!["maxResults"]!.GetValue<int>());
        // RFC 9865 §4: the pagination block.
        var pagination = config["pagination"]!;
        Assert.True(pagination["cursor"]!.GetValue<bool>());
        Assert.True(pagination["index"]!.GetValue<bool>());
        Assert.Equal("index", pagination["defaultPaginationMethod"]!.GetValue<string>());
        Assert.Equal(123, pagination["maxPageSize"]!.GetValue<int>());
        Assert.Equal(3600, pagination["cursorTimeout"]!.GetValue<int>());
        Assert.Equal("oauthbearertoken", config["authenticationSchemes"]![0]!["type"]!.GetValue<string>());
    }
}
