using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.TenantAdmin.Activity;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class OffboardingTests(SiloServer silo)
{
    [Fact]
    public async Task DeleteTenant_WithUsersAndGroups_RemovesEverythingAndNameCanBeReused()
    {
        var token = await silo.CreateTenantAsync("offboard-small");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var user = await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "offboard-small", token, "/Users", $$"""{"userName":"u{{i}}","externalId":"e{{i}}"}"""), HttpStatusCode.Created);
            ids.Add(user.GetProperty("id").GetString()!);
        }
        var members = string.Join(",", ids.Select(id => $$"""{"value":"{{id}}"}"""));
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "offboard-small", token, "/Groups", $$"""{"displayName":"Everyone","members":[{{members}}]}"""), HttpStatusCode.Created);

        await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "offboard-small", token, "/Users"));

        Assert.Equal(HttpStatusCode.NoContent, (await silo.Admin(HttpMethod.Delete, "/admin/v1/tenants/offboard-small")).StatusCode);

        await ScimAssert.Error(await silo.Admin(HttpMethod.Get, "/admin/v1/tenants/offboard-small"), HttpStatusCode.NotFound);
        await ScimAssert.Error(await silo.Scim(HttpMethod.Get, "offboard-small", token, "/Users"), HttpStatusCode.Unauthorized);
        var list = await ScimAssert.Json(await silo.Admin(HttpMethod.Get, "/admin/v1/tenants?count=1000"));
        Assert.DoesNotContain(list.GetProperty("tenants").EnumerateArray(), t => t.GetString() == "offboard-small");

        await silo.Services.GetRequiredService<ActivityRecorder>().FlushAsync();
        var activity = await silo.Services.GetRequiredService<IActivityStore>().QueryAsync("offboard-small", new ActivityQuery { Count = 100 });
        Assert.Empty(activity.Records);

        // A new tenant of the same name starts empty, and the old names and external ids are free.
        var fresh = await silo.CreateTenantAsync("offboard-small");
        var users = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "offboard-small", fresh, "/Users"));
        Assert.Equal(0, users.GetProperty("totalResults").GetInt32());
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "offboard-small", fresh, "/Users", """{"userName":"u0","externalId":"e0"}"""), HttpStatusCode.Created);
        var groups = await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, "offboard-small", fresh, "/Groups"));
        Assert.Equal(0, groups.GetProperty("totalResults").GetInt32());
        var memberships = silo.Services.GetRequiredService<Grains.IMembershipStore>();
        foreach (var id in ids)
        {
            Assert.Empty(await memberships.GroupsOfAsync(Grains.Abstractions.TenantId.Parse("offboard-small"), id, null, 10));
        }
        await ScimAssert.Ok(await silo.Scim(HttpMethod.Post, "offboard-small", fresh, "/Groups", """{"displayName":"Everyone"}"""), HttpStatusCode.Created);
    }

    [Fact]
    public async Task ListTenants_Paged_InIdOrderWithoutGaps()
    {
        string[] names = ["list-a", "list-b", "list-c"];
        foreach (var name in names)
        {
            await silo.CreateTenantAsync(name);
        }
        var seen = new List<string>();
        string? after = "list-";
        while (after is not null)
        {
            var page = await ScimAssert.Json(await silo.Admin(HttpMethod.Get, $"/admin/v1/tenants?after={after}&count=2"));
            var tenants = page.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()!).ToList();
            seen.AddRange(tenants.Where(t => t.StartsWith("list-", StringComparison.Ordinal)));
            after = page.GetProperty("next").ValueKind == System.Text.Json.JsonValueKind.String && tenants.All(t => t.StartsWith("list-", StringComparison.Ordinal))
                ? page.GetProperty("next").GetString()
                : null;
        }
        Assert.Equal(names, seen);
    }
}
