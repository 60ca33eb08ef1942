using System.Net;
using System.Text.Json;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// externalId as RFC 7643 §3.1 defines it: "an identifier for the resource as defined by the provisioning client",
/// with no uniqueness, so two resources may hold the same value (a tenant moving between IdPs, an IdP reusing one),
/// and <c>externalId eq</c> finds every holder through the shards' value index.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ExternalIdTests(SiloServer silo)
{
    private async Task<string> CreateAsync(string tenant, string token, string path, string body) =>
        (await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, tenant, token, path, body), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private async Task<string[]> HoldersAsync(string tenant, string token, string path, string value, string extra = "") =>
        [.. (await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, tenant, token, $"{path}?filter=externalId+eq+%22{value}%22{extra}")))
            .GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Create_TwoUsersSameExternalId_BothCreatedAndBothFound()
    {
        const string Tenant = "external-shared-users";
        var token = await silo.CreateTenantAsync(Tenant);
        var first = await CreateAsync(Tenant, token, "/Users", """{"userName":"first@example.com","externalId":"reused"}""");
        var second = await CreateAsync(Tenant, token, "/Users", """{"userName":"second@example.com","externalId":"reused"}""");
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), (await HoldersAsync(Tenant, token, "/Users", "reused")).Order(StringComparer.Ordinal));
        // caseExact (RFC 7643 §3.1): another case is another value.
        Assert.Empty(await HoldersAsync(Tenant, token, "/Users", "REUSED"));
    }

    [Fact]
    public async Task Create_TwoGroupsSameExternalId_BothCreatedAndBothFound()
    {
        const string Tenant = "external-shared-groups";
        var token = await silo.CreateTenantAsync(Tenant);
        var first = await CreateAsync(Tenant, token, "/Groups", """{"displayName":"One","externalId":"okta-00g1"}""");
        var second = await CreateAsync(Tenant, token, "/Groups", """{"displayName":"Two","externalId":"okta-00g1"}""");
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), (await HoldersAsync(Tenant, token, "/Groups", "okta-00g1")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ExternalIdChangedOrResourceDeleted_LookupFollows()
    {
        const string Tenant = "external-moves";
        var token = await silo.CreateTenantAsync(Tenant);
        var moving = await CreateAsync(Tenant, token, "/Users", """{"userName":"moving@example.com","externalId":"old-value"}""");
        var deleted = await CreateAsync(Tenant, token, "/Users", """{"userName":"deleted@example.com","externalId":"old-value"}""");
        Assert.Equal(2, (await HoldersAsync(Tenant, token, "/Users", "old-value")).Length);

        await ScimAssert.Ok(await silo.Scim(HttpMethod.Patch, Tenant, token, $"/Users/{moving}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"externalId","value":"new-value"}]}"""));
        Assert.Equal(HttpStatusCode.NoContent, (await silo.Scim(HttpMethod.Delete, Tenant, token, $"/Users/{deleted}")).StatusCode);

        Assert.Empty(await HoldersAsync(Tenant, token, "/Users", "old-value"));
        Assert.Equal([moving], await HoldersAsync(Tenant, token, "/Users", "new-value"));
    }

    [Fact]
    public async Task Lookup_WithMoreTermsAndPaging_FiltersAndPagesTheHolders()
    {
        const string Tenant = "external-compound";
        var token = await silo.CreateTenantAsync(Tenant);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await CreateAsync(Tenant, token, "/Users", $$"""{"userName":"u{{i}}@example.com","externalId":"batch","active":{{(i % 2 == 0 ? "true" : "false")}}}"""));
        }
        var active = await HoldersAsync(Tenant, token, "/Users", "batch", "+and+active+eq+true");
        Assert.Equal(new[] { ids[0], ids[2] }.Order(StringComparer.Ordinal), active.Order(StringComparer.Ordinal));

        var pages = new List<string>();
        for (var start = 1; start <= 4; start += 3)
        {
            var page = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, Tenant, token, $"/Users?filter=externalId+eq+%22batch%22&startIndex={start}&count=3"));
            Assert.Equal(4, page.GetProperty("totalResults").GetInt32());
            pages.AddRange(page.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
        }
        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.Order(StringComparer.Ordinal));
    }
}
