using System.Net;
using System.Text.Json;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// RFC 7644 §3.10: "clients MAY use a fully qualified attribute name (URN prefix)" wherever an attribute is named —
/// bodies (a qualified name, or the core schema's URN as a container object), PATCH paths and values, filters,
/// <c>attributes</c>/<c>excludedAttributes</c> and <c>sortBy</c>, for core and extension schemas alike.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class UrnNamesTests(SiloServer silo)
{
    private const string Core = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private const string GroupCore = "urn:ietf:params:scim:schemas:core:2.0:Group";

    private async Task<JsonElement> CreateAsync(string tenant, string token, string body) =>
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, "/Users", body), HttpStatusCode.Created);

    [Fact]
    public async Task Create_QualifiedNamesAndCoreContainer_StoredAsPlainAttributes()
    {
        const string Tenant = "urn-bodies";
        var token = await silo.CreateTenantAsync(Tenant);
        var qualified = await CreateAsync(Tenant, token, $$"""{"schemas":["{{Core}}"],"{{Core}}:userName":"qualified@example.com","{{Core}}:name":{"givenName":"Quinn"},"{{Core}}:title":"Guide"}""");
        Assert.Equal("qualified@example.com", qualified.GetProperty("userName").GetString());
        Assert.Equal("Quinn", qualified.GetProperty("name").GetProperty("givenName").GetString());
        Assert.Equal("Guide", qualified.GetProperty("title").GetString());
        Assert.False(qualified.TryGetProperty($"{Core}:userName", out _));

        var contained = await CreateAsync(Tenant, token, $$"""{"schemas":["{{Core}}","{{Enterprise}}"],"{{Core}}":{"userName":"contained@example.com","displayName":"Cee"},"{{Enterprise}}":{"department":"Tours"} }""");
        Assert.Equal("contained@example.com", contained.GetProperty("userName").GetString());
        Assert.Equal("Cee", contained.GetProperty("displayName").GetString());
        Assert.False(contained.TryGetProperty(Core, out _));
        Assert.Equal("Tours", contained.GetProperty(Enterprise).GetProperty("department").GetString());
    }

    [Fact]
    public async Task Patch_QualifiedPathsAndValueKeys_ApplyAsUnqualified()
    {
        const string Tenant = "urn-patch";
        var token = await silo.CreateTenantAsync(Tenant);
        var id = (await CreateAsync(Tenant, token, """{"userName":"p@example.com","emails":[{"value":"p@work.example.com","type":"work"}]}""")).GetProperty("id").GetString();
        var patched = await ScimAssert.Ok(await silo.Scim(HttpMethod.Patch, Tenant, token, $"/Users/{id}", $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"replace","path":"{{Core}}:title","value":"Captain"},
              {"op":"replace","path":"{{Core}}:name.familyName","value":"Pike"},
              {"op":"replace","path":"{{Core}}:emails[type eq \"work\"].value","value":"pike@work.example.com"},
              {"op":"replace","value":{"{{Core}}:nickName":"Chris","{{Enterprise}}:employeeNumber":"1701"} },
              {"op":"add","path":"{{Enterprise}}:department","value":"Bridge"},
              {"op":"add","value":{"{{Core}}":{"userType":"Officer"} } }]}
            """));
        Assert.Equal("Captain", patched.GetProperty("title").GetString());
        Assert.Equal("Pike", patched.GetProperty("name").GetProperty("familyName").GetString());
        Assert.Equal("pike@work.example.com", patched.GetProperty("emails")[0].GetProperty("value").GetString());
        Assert.Equal("Chris", patched.GetProperty("nickName").GetString());
        Assert.Equal("1701", patched.GetProperty(Enterprise).GetProperty("employeeNumber").GetString());
        Assert.Equal("Bridge", patched.GetProperty(Enterprise).GetProperty("department").GetString());
        Assert.Equal("Officer", patched.GetProperty("userType").GetString());
    }

    [Fact]
    public async Task Query_QualifiedFilterProjectionAndSort_SameAsUnqualified()
    {
        const string Tenant = "urn-queries";
        var token = await silo.CreateTenantAsync(Tenant);
        foreach (var (name, number) in new[] { ("b@example.com", "2"), ("a@example.com", "3"), ("c@example.com", "1") })
        {
            await CreateAsync(Tenant, token, $$"""{"userName":"{{name}}","title":"Guide","{{Enterprise}}":{"employeeNumber":"{{number}}","department":"Tours"} }""");
        }
        var byName = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users?filter={Uri.EscapeDataString($"{Core}:userName eq \"a@example.com\"")}"));
        Assert.Equal("a@example.com", Assert.Single(byName.GetProperty("Resources").EnumerateArray()).GetProperty("userName").GetString());

        var projected = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token,
            $"/Users?attributes={Uri.EscapeDataString($"{Core}:userName,{Enterprise}:employeeNumber")}&sortBy={Uri.EscapeDataString($"{Enterprise}:employeeNumber")}"));
        var resources = projected.GetProperty("Resources").EnumerateArray().ToList();
        Assert.Equal(["c@example.com", "b@example.com", "a@example.com"], resources.Select(r => r.GetProperty("userName").GetString()!));
        Assert.All(resources, r => Assert.False(r.TryGetProperty("title", out _)));
        Assert.All(resources, r => Assert.False(r.GetProperty(Enterprise).TryGetProperty("department", out _)));

        var sorted = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token,
            $"/Users?sortBy={Uri.EscapeDataString($"{Core}:userName")}&excludedAttributes={Uri.EscapeDataString($"{Core}:title,{Enterprise}")}"));
        var ordered = sorted.GetProperty("Resources").EnumerateArray().ToList();
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], ordered.Select(r => r.GetProperty("userName").GetString()!));
        Assert.All(ordered, r => Assert.False(r.TryGetProperty("title", out _)));
        Assert.All(ordered, r => Assert.False(r.TryGetProperty(Enterprise, out _)));
    }

    [Fact]
    public async Task Groups_QualifiedDisplayName_FilterAndPatch()
    {
        const string Tenant = "urn-groups";
        var token = await silo.CreateTenantAsync(Tenant);
        var id = (await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, Tenant, token, "/Groups", $$"""{"{{GroupCore}}:displayName":"Crew"}"""), HttpStatusCode.Created)).GetProperty("id").GetString();
        var found = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups?filter={Uri.EscapeDataString($"{GroupCore}:displayName eq \"crew\"")}"));
        Assert.Equal(id, Assert.Single(found.GetProperty("Resources").EnumerateArray()).GetProperty("id").GetString());
        using var renamed = await silo.Scim(HttpMethod.Patch, Tenant, token, $"/Groups/{id}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"{{GroupCore}}:displayName","value":"Bridge Crew"}]}""");
        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        Assert.Equal("Bridge Crew", (await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Groups/{id}"))).GetProperty("displayName").GetString());
    }
}
