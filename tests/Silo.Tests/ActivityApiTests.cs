using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.TenantAdmin.Activity;

namespace RfpioGateway.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class ActivityApiTests(SiloServer silo)
{
    private const string Alice = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@example.com","active":true}""";
    private const string Disable = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""";
    private const string Rename = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"Alice"}]}""";

    [Fact]
    public async Task Activity_ScimConversation_RecordedWithOutcomesNewestFirst()
    {
        var token = await silo.CreateTenantAsync("activitya");
        var created = await silo.Scim(HttpMethod.Post, "activitya", token, "/Users", Alice, configure: r => r.Headers.UserAgent.ParseAdd("Microsoft.AAD.Provisioning"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await silo.Scim(HttpMethod.Patch, "activitya", token, $"/Users/{id}", Rename);
        await silo.Scim(HttpMethod.Patch, "activitya", token, $"/Users/{id}", Disable);
        await silo.Scim(HttpMethod.Post, "activitya", token, "/Users", Alice);
        await silo.Scim(HttpMethod.Delete, "activitya", token, $"/Users/{id}");
        await silo.Scim(HttpMethod.Get, "activitya", token + "wrong", "/Users");

        var activity = await ReadAsync("activitya", "");

        var records = activity.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["deleted", "failed", "disabled", "updated", "created"], records.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal("uniqueness", records[1].GetProperty("scimType").GetString());
        Assert.Equal("alice@example.com", records[4].GetProperty("userName").GetString());
        Assert.Equal(id, records[4].GetProperty("resourceId").GetString());
        Assert.Equal(id, records[0].GetProperty("resourceId").GetString());
        Assert.Equal("Microsoft.AAD.Provisioning", records[4].GetProperty("userAgent").GetString());
        Assert.Matches("^[0-9a-f]{32}$", records[4].GetProperty("traceId").GetString());
        var last24 = activity.GetProperty("last24Hours");
        Assert.Equal(1, last24.GetProperty("created").GetInt32());
        Assert.Equal(1, last24.GetProperty("updated").GetInt32());
        Assert.Equal(1, last24.GetProperty("disabled").GetInt32());
        Assert.Equal(1, last24.GetProperty("deleted").GetInt32());
        Assert.Equal(1, last24.GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task Activity_FiltersAndPages_FollowTheQuery()
    {
        var token = await silo.CreateTenantAsync("activityb");
        for (var i = 0; i < 5; i++)
        {
            await silo.Scim(HttpMethod.Get, "activityb", token, "/Users");
            await silo.Scim(HttpMethod.Get, "activityb", token, "/Users/00000000000000000000000000000000");
        }

        var failures = await ReadAsync("activityb", "?result=failure");
        var first = await ReadAsync("activityb", "?operation=Users.List&count=3");
        var next = first.GetProperty("next").GetInt64();
        var second = await ReadAsync("activityb", $"?operation=Users.List&count=3&before={next}");

        Assert.Equal(5, failures.GetProperty("records").GetArrayLength());
        Assert.All(failures.GetProperty("records").EnumerateArray(), r => Assert.Equal(404, r.GetProperty("status").GetInt32()));
        Assert.Equal(3, first.GetProperty("records").GetArrayLength());
        Assert.Equal(2, second.GetProperty("records").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Activity_ListAndSearch_RecordWhatWasAsked()
    {
        var token = await silo.CreateTenantAsync("activity-queries");
        await silo.Scim(HttpMethod.Get, "activity-queries", token, "/Users?filter=userName+eq+%22ada%40example.com%22");
        await silo.Scim(HttpMethod.Post, "activity-queries", token, "/Groups/.search", """{"filter":"displayName sw \"Sales\""}""");
        await silo.Scim(HttpMethod.Get, "activity-queries", token, "/Users");

        var records = (await ReadAsync("activity-queries", "")).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, records[0].GetProperty("query").ValueKind);
        Assert.Equal("displayName sw \"Sales\"", records[1].GetProperty("query").GetString());
        Assert.Equal("userName eq \"ada@example.com\"", records[2].GetProperty("query").GetString());
    }

    [Theory]
    [InlineData("?result=maybe")]
    [InlineData("?operation=Users.Hack")]
    [InlineData("?from=yesterday")]
    [InlineData("?before=abc")]
    public async Task Activity_BadQuery_Is400ScimError(string query)
    {
        await silo.CreateTenantAsync("activityc");

        var response = await silo.Admin(HttpMethod.Get, "/admin/v1/tenants/activityc/activity" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AdminCredential_IssueAndRevoke_ShowsOnceAndIsTracked()
    {
        await silo.CreateTenantAsync("activityd");

        var issued = await silo.Admin(HttpMethod.Post, "/admin/v1/tenants/activityd/admin-credential");
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var tenant = await (await silo.Admin(HttpMethod.Get, "/admin/v1/tenants/activityd")).Content.ReadFromJsonAsync<JsonElement>();
        var revoked = await silo.Admin(HttpMethod.Delete, "/admin/v1/tenants/activityd/admin-credential");
        var after = await (await silo.Admin(HttpMethod.Get, "/admin/v1/tenants/activityd")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.StartsWith("rfpadm_", body.GetProperty("credential").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://activityd.rfpio.com/rfpserver/admin/", body.GetProperty("consoleUrl").GetString());
        Assert.Equal(JsonValueKind.String, tenant.GetProperty("adminCredentialIssuedAt").ValueKind);
        Assert.False(tenant.TryGetProperty("credential", out _));
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("adminCredentialIssuedAt").ValueKind);
    }

    [Fact]
    public async Task Create_ClientCutsTheBodyShort_RecordedAsTheClients400NotA500()
    {
        var token = await silo.CreateTenantAsync("activity-cut");
        var head = $"POST /rfpserver/scim/v2/Users HTTP/1.1\r\nHost: activity-cut.localhost\r\nAuthorization: Bearer {token}\r\n"
            + "Content-Type: application/scim+json\r\nContent-Length: 500";
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", silo.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head + "\r\n\r\n{\"userName\":"));
        client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        try
        {
            // Kestrel takes the half-closed connection for a client that went away: there may be no answer to read.
            await new StreamReader(stream).ReadToEndAsync();
        }
        catch (IOException)
        {
        }

        await Eventually.TrueAsync(async () => (await ReadAsync("activity-cut", "")).GetProperty("records").GetArrayLength() > 0);
        var records = (await ReadAsync("activity-cut", "")).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(400, Assert.Single(records).GetProperty("status").GetInt32());
    }

    private async Task<JsonElement> ReadAsync(string tenant, string query)
    {
        await silo.Services.GetRequiredService<ActivityRecorder>().FlushAsync();
        var response = await silo.Admin(HttpMethod.Get, $"/admin/v1/tenants/{tenant}/activity{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
