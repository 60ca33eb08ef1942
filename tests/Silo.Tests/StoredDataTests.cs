using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RfpioGateway.Grains.Tests;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Data written by an earlier revision (StoredData/make.sh, run at 0dadb15, before the resource seam) is read by this
/// one unchanged: tenant and token, users, their uniqueness keys, the directory and the activity log, on SQLite and
/// on Azure Table storage (Azurite on the fixture's files). Each test works on its own copy of the fixture.
/// </summary>
public sealed class StoredDataTests
{
    private sealed record Written(string Token, string Ada, string Grace, string Linus);

    public static TheoryData<string> Providers => ["Sqlite", "AzureStorage"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OldRevisionData_ReadByThisRevision_UsersKeysDirectoryAndActivityAsWritten(string provider)
    {
        await using var stored = await StoredSilo.StartAsync(provider);
        var (silo, written) = (stored.Silo, stored.Written);

        // First, before any read activates a user (which re-renders its summary): the old revision's summaries held a
        // few attributes, and a filter on another (the enterprise manager) re-renders them before it runs.
        var managed = await Json(await silo.Scim(HttpMethod.Get, "legacy", written.Token,
            "/Users?filter=" + Uri.EscapeDataString("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"boss-1\"")));
        Assert.Equal(written.Ada, Assert.Single(managed.GetProperty("Resources").EnumerateArray()).GetProperty("id").GetString());

        var ada = await Json(await silo.Scim(HttpMethod.Get, "legacy", written.Token, $"/Users/{written.Ada}"));
        Assert.Equal("Ada@Example.com", ada.GetProperty("userName").GetString());
        Assert.Equal("Ada Lovelace", ada.GetProperty("displayName").GetString());
        Assert.Equal("W/\"2\"", ada.GetProperty("meta").GetProperty("version").GetString());
        Assert.Equal("boss-1", ada.GetProperty("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").GetProperty("manager").GetProperty("value").GetString());

        var byName = await Json(await silo.Scim(HttpMethod.Get, "legacy", written.Token, "/Users?filter=userName%20eq%20%22ada@example.com%22"));
        Assert.Equal(written.Ada, Assert.Single(byName.GetProperty("Resources").EnumerateArray()).GetProperty("id").GetString());
        var byExternal = await Json(await silo.Scim(HttpMethod.Get, "legacy", written.Token, "/Users?filter=externalId%20eq%20%22ext-grace%22"));
        Assert.Equal(written.Grace, Assert.Single(byExternal.GetProperty("Resources").EnumerateArray()).GetProperty("id").GetString());

        var inactive = await Json(await silo.Scim(HttpMethod.Get, "legacy", written.Token, "/Users?filter=active%20eq%20false"));
        Assert.Equal(written.Grace, Assert.Single(inactive.GetProperty("Resources").EnumerateArray()).GetProperty("id").GetString());
        var all = await Json(await silo.Scim(HttpMethod.Get, "legacy", written.Token, "/Users"));
        Assert.Equal(2, all.GetProperty("totalResults").GetInt32());

        Assert.Equal(HttpStatusCode.NotFound, (await silo.Scim(HttpMethod.Get, "legacy", written.Token, $"/Users/{written.Linus}")).StatusCode);

        var activity = await Json(await silo.Admin(HttpMethod.Get, "/admin/v1/tenants/legacy/activity"));
        var operations = activity.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("operation").GetString()).ToList();
        // Newest first: this test's own requests may be flushed before the query, so the old records are the oldest six.
        Assert.Equal(["Users.Delete", "Users.Patch", "Users.Patch", "Users.Create", "Users.Create", "Users.Create"], operations.TakeLast(6));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OldRevisionKeys_WrittenOverByThisRevision_HeldReleasedAndMovedAsBefore(string provider)
    {
        await using var stored = await StoredSilo.StartAsync(provider);
        var (silo, written) = (stored.Silo, stored.Written);

        // Held keys still refuse: userName folded as before.
        var taken = await silo.Scim(HttpMethod.Post, "legacy", written.Token, "/Users", """{"userName":"ADA@example.com"}""");
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        // externalId is no longer unique (RFC 7643 §3.1): the old revision's externalId key does not refuse a second
        // holder, and the lookup finds both.
        var sharedExternal = await silo.Scim(HttpMethod.Post, "legacy", written.Token, "/Users", """{"userName":"other@example.com","externalId":"ext-ada"}""");
        Assert.Equal(HttpStatusCode.Created, sharedExternal.StatusCode);
        var holders = await Json(await silo.Scim(HttpMethod.Get, "legacy", written.Token, "/Users?filter=externalId%20eq%20%22ext-ada%22"));
        Assert.Equal(2, holders.GetProperty("totalResults").GetInt32());

        // The deleted user's keys were released by the old revision.
        Assert.Equal(HttpStatusCode.Created, (await silo.Scim(HttpMethod.Post, "legacy", written.Token, "/Users",
            """{"userName":"linus@example.com","externalId":"ext-linus"}""")).StatusCode);

        // A rename through this revision moves an old key: the old name is free, the new one held.
        var renamed = await silo.Scim(HttpMethod.Patch, "legacy", written.Token, $"/Users/{written.Grace}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"grace.hopper@example.com"}]}""");
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("W/\"3\"", (await Json(renamed)).GetProperty("meta").GetProperty("version").GetString());
        Assert.Equal(HttpStatusCode.Created, (await silo.Scim(HttpMethod.Post, "legacy", written.Token, "/Users", """{"userName":"grace@example.com"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await silo.Scim(HttpMethod.Post, "legacy", written.Token, "/Users", """{"userName":"Grace.Hopper@example.com"}""")).StatusCode);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A silo of this revision on a fresh copy of one provider's fixture (and Azurite on it, for Azure).</summary>
    private sealed class StoredSilo : IAsyncDisposable
    {
        private Azurite? _azurite;

        public SiloServer Silo { get; private set; } = null!;

        public Written Written { get; private set; } = null!;

        public static async Task<StoredSilo> StartAsync(string provider)
        {
            var fixture = Path.Combine(AppContext.BaseDirectory, "StoredData", provider == "Sqlite" ? "sqlite" : "azurite");
            var copy = Path.Combine(Path.GetTempPath(), "rfpio-stored-data", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.GetFiles(fixture))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }
            var stored = new StoredSilo
            {
                Written = JsonSerializer.Deserialize<Written>(File.ReadAllText(Path.Combine(copy, "written.json")), JsonSerializerOptions.Web)!,
            };
            List<string> settings = ["Auth:TokenPepper=stored-data-pepper", "Orleans:ClusterId=stored-data", "Orleans:ServiceId=stored-data"];
            if (provider == "AzureStorage")
            {
                stored._azurite = await Azurite.StartOnAsync(copy);
                settings.Add($"Storage:AzureStorage:ConnectionString={stored._azurite.ConnectionString}");
            }
            // The SQLite fixture is silo.db, where SiloServer keeps its file.
            stored.Silo = new SiloServer(copy, provider) { Settings = settings };
            await stored.Silo.InitializeAsync();
            return stored;
        }

        public async ValueTask DisposeAsync()
        {
            await Silo.DisposeAsync();
            if (_azurite is not null)
            {
                await _azurite.DisposeAsync();
            }
        }
    }
}
