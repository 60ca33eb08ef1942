using System.Net;

namespace RfpioGateway.Silo.Tests;

/// <summary>The single-node SQLite host keeps everything across a restart.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_SqliteHost_TenantsTokensFlagsAndUsersAreBack()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N"));
        string token, id;
        await using (var first = new SiloServer(folder))
        {
            await first.InitializeAsync();
            token = await first.CreateTenantAsync("restart");
            var created = await ScimAssert.Ok(await first.Scim(HttpMethod.Post, "restart", token, "/Users",
                """{"userName":"kept@example.com","externalId":"k1","title":"Kept"}"""), HttpStatusCode.Created);
            id = created.GetProperty("id").GetString()!;
            await first.CreateTenantAsync("restart-off", enabled: false);
            await first.DisposeAsync();
        }

        var second = new SiloServer(folder);
        try
        {
            await second.InitializeAsync();
            var user = await ScimAssert.Ok(await second.Scim(HttpMethod.Get, "restart", token, $"/Users/{id}"));
            Assert.Equal("Kept", user.GetProperty("title").GetString());
            var byName = await ScimAssert.Ok(await second.Scim(HttpMethod.Get, "restart", token, "/Users?filter=userName+eq+%22KEPT%40example.com%22"));
            Assert.Equal(1, byName.GetProperty("totalResults").GetInt32());
            var listed = await ScimAssert.Ok(await second.Scim(HttpMethod.Get, "restart", token, "/Users"));
            Assert.Equal(1, listed.GetProperty("totalResults").GetInt32());
            await ScimAssert.Error(await second.Scim(HttpMethod.Post, "restart", token, "/Users", """{"userName":"kept@example.com"}"""), HttpStatusCode.Conflict, "uniqueness");
            var offToken = await second.IssueTokenAsync("restart-off");
            await ScimAssert.Error(await second.Scim(HttpMethod.Get, "restart-off", offToken, "/Users"), HttpStatusCode.Forbidden);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
