using Microsoft.Data.Sqlite;
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

    [Fact]
    public async Task Restart_DuringBackgroundOffboarding_FinishesWithoutTheTenantBeingTouched()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N"));
        await using (var first = new SiloServer(folder) { Settings = ["Offboarding:InlineBudget=3", "Offboarding:BackgroundInterval=01:00:00"] })
        {
            await first.InitializeAsync();
            var token = await first.CreateTenantAsync("offboard-restart");
            for (var i = 0; i < 8; i++)
            {
                await ScimAssert.Ok(await first.Scim(HttpMethod.Post, "offboard-restart", token, "/Users", $$"""{"userName":"r{{i}}"}"""), HttpStatusCode.Created);
            }
            // Three users go within the call; the background would take the rest an hour later, long after this silo stops.
            Assert.Equal(HttpStatusCode.Accepted, (await first.Admin(HttpMethod.Delete, "/admin/v1/tenants/offboard-restart")).StatusCode);
            var during = await ScimAssert.Json(await first.Admin(HttpMethod.Get, "/admin/v1/tenants/offboard-restart"));
            Assert.True(during.GetProperty("offboarding").GetBoolean());
        }

        var second = new SiloServer(folder);
        try
        {
            await second.InitializeAsync();
            // Nothing calls the silo meanwhile (an operator's call could wake the offboarding): only the file is read.
            await Eventually.TrueAsync(() => RowsOf(folder, "offboard-restart") == 0, seconds: 60,
                because: "the restarted silo should finish the offboarding on its own");

            var page = await ScimAssert.Json(await second.Admin(HttpMethod.Get, "/admin/v1/tenants?after=offboard-restars&count=1"));
            Assert.DoesNotContain(page.GetProperty("tenants").EnumerateArray(), t => t.GetString() == "offboard-restart");
            await ScimAssert.Error(await second.Admin(HttpMethod.Get, "/admin/v1/tenants/offboard-restart"), HttpStatusCode.NotFound);
            var fresh = await second.CreateTenantAsync("offboard-restart");
            var users = await ScimAssert.Ok(await second.Scim(HttpMethod.Get, "offboard-restart", fresh, "/Users"));
            Assert.Equal(0, users.GetProperty("totalResults").GetInt32());
            await ScimAssert.Ok(await second.Scim(HttpMethod.Post, "offboard-restart", fresh, "/Users", """{"userName":"r7"}"""), HttpStatusCode.Created);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    /// <summary>Rows of grain state and directory entries that belong to the tenant, read straight from the SQLite file.</summary>
    private static long RowsOf(string folder, string tenant)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "silo.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM grain_state WHERE instr(grain_id, $t) > 0)
                 + (SELECT COUNT(*) FROM directory WHERE instr(shard, $t) = 1)
            """;
        command.Parameters.AddWithValue("$t", tenant);
        return (long)command.ExecuteScalar()!;
    }
}
