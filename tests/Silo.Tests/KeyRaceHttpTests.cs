using System.Net;
using System.Text.Json;
using RfpioGateway.Grains.Tests;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// The writes that meet at one uniqueness key, raced over HTTP on each storage provider: exactly one winner, never a
/// 5xx, no request that hangs, and afterwards <c>filter=userName eq</c> agrees with the users.
/// </summary>
public abstract class KeyRaceHttpTests
{
    private const int Rounds = 40;

    /// <summary>A hang detector, not a speed limit: a healthy pair answers in milliseconds.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private const string Patch = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"NAME"}]}""";

    protected abstract SiloServer Silo { get; }

    [Fact]
    public async Task Delete_RacingCreateOfTheSameNameUpperCased_OneOutcomeEachRoundAndNo5xx()
    {
        var tenant = $"race-dc-{Silo.Provider.ToLowerInvariant()}";
        var token = await Silo.CreateTenantAsync(tenant);
        for (var round = 0; round < Rounds; round++)
        {
            var name = $"jane{round}@example.com";
            var holder = await CreateAsync(tenant, token, name);
            var (deleted, created) = await BothAsync(
                Silo.Scim(HttpMethod.Delete, tenant, token, $"/Users/{holder}"),
                Silo.Scim(HttpMethod.Post, tenant, token, "/Users", User(name.ToUpperInvariant())), round);

            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Contains(created.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
            var found = await FindAsync(tenant, token, name);
            if (created.StatusCode == HttpStatusCode.Created)
            {
                Assert.Equal(await IdOf(created), found);
            }
            else
            {
                Assert.Null(found);
                await CreateAsync(tenant, token, name);
            }
        }
    }

    [Fact]
    public async Task Rename_RacingCreateOfTheNewName_ExactlyOneHoldsIt()
    {
        var tenant = $"race-rc-{Silo.Provider.ToLowerInvariant()}";
        var token = await Silo.CreateTenantAsync(tenant);
        for (var round = 0; round < Rounds; round++)
        {
            var renamed = await CreateAsync(tenant, token, $"old{round}");
            var (rename, create) = await BothAsync(
                Silo.Scim(HttpMethod.Patch, tenant, token, $"/Users/{renamed}", Patch.Replace("NAME", $"New{round}", StringComparison.Ordinal)),
                Silo.Scim(HttpMethod.Post, tenant, token, "/Users", User($"new{round}")), round);

            Assert.True((rename.StatusCode == HttpStatusCode.OK) != (create.StatusCode == HttpStatusCode.Created), $"round {round}: {rename.StatusCode} / {create.StatusCode}");
            Assert.Contains(rename.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
            Assert.Contains(create.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
            var holder = await FindAsync(tenant, token, $"NEW{round}");
            Assert.Equal(rename.StatusCode == HttpStatusCode.OK ? renamed : await IdOf(create), holder);
        }
    }

    [Fact]
    public async Task Delete_RacingRenameOfAnotherUserToTheName_OneOutcomeEachRoundAndNo5xx()
    {
        var tenant = $"race-dr-{Silo.Provider.ToLowerInvariant()}";
        var token = await Silo.CreateTenantAsync(tenant);
        for (var round = 0; round < Rounds; round++)
        {
            var deletedId = await CreateAsync(tenant, token, $"a{round}");
            var renamedId = await CreateAsync(tenant, token, $"b{round}");
            var (deleted, renamed) = await BothAsync(
                Silo.Scim(HttpMethod.Delete, tenant, token, $"/Users/{deletedId}"),
                Silo.Scim(HttpMethod.Patch, tenant, token, $"/Users/{renamedId}", Patch.Replace("NAME", $"A{round}", StringComparison.Ordinal)), round);

            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Contains(renamed.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
            var won = renamed.StatusCode == HttpStatusCode.OK;
            Assert.Equal(won ? renamedId : null, await FindAsync(tenant, token, $"a{round}"));
            Assert.Equal(won ? null : renamedId, await FindAsync(tenant, token, $"b{round}"));
        }
    }

    [Fact]
    public async Task Create_RacingCreateOfTheSameName_ExactlyOneWins()
    {
        var tenant = $"race-cc-{Silo.Provider.ToLowerInvariant()}";
        var token = await Silo.CreateTenantAsync(tenant);
        for (var round = 0; round < Rounds; round++)
        {
            var (a, b) = await BothAsync(
                Silo.Scim(HttpMethod.Post, tenant, token, "/Users", User($"twin{round}")),
                Silo.Scim(HttpMethod.Post, tenant, token, "/Users", User($"TWIN{round}")), round);

            var statuses = new[] { a.StatusCode, b.StatusCode }.Order().ToArray();
            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], statuses);
            Assert.Equal(await IdOf(a.StatusCode == HttpStatusCode.Created ? a : b), await FindAsync(tenant, token, $"twin{round}"));
        }
    }

    private static string User(string name) => $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{name}}"}""";

    private async Task<string> CreateAsync(string tenant, string token, string name)
    {
        using var response = await Silo.Scim(HttpMethod.Post, tenant, token, "/Users", User(name));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await IdOf(response);
    }

    private static async Task<string> IdOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

    /// <summary>What Entra's match query finds for a userName: the id, or null.</summary>
    private async Task<string?> FindAsync(string tenant, string token, string name)
    {
        using var response = await Silo.Scim(HttpMethod.Get, tenant, token, "/Users?filter=" + Uri.EscapeDataString($"userName eq \"{name}\""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return list.GetProperty("totalResults").GetInt32() == 0 ? null : list.GetProperty("Resources")[0].GetProperty("id").GetString();
    }

    private static async Task<(HttpResponseMessage, HttpResponseMessage)> BothAsync(Task<HttpResponseMessage> first, Task<HttpResponseMessage> second, int round)
    {
        try
        {
            await Task.WhenAll(first, second).WaitAsync(Hang);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"round {round}: the pair did not answer within {Hang.TotalSeconds} s");
        }
        return (await first, await second);
    }
}

[Collection(SiloCollection.Name)]
public sealed class SqliteKeyRaceTests(SiloServer silo) : KeyRaceHttpTests
{
    protected override SiloServer Silo => silo;
}

public sealed class MemoryKeyRaceTests(MemoryKeyRaceTests.Host host) : KeyRaceHttpTests, IClassFixture<MemoryKeyRaceTests.Host>
{
    protected override SiloServer Silo => host.Silo;

    public sealed class Host : IAsyncLifetime
    {
        public SiloServer Silo { get; } = new(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N")), "Memory");

        public Task InitializeAsync() => Silo.InitializeAsync();

        public Task DisposeAsync() => Silo.DisposeAsync();
    }
}

public sealed class AzureStorageKeyRaceTests(AzureStorageKeyRaceTests.Host host) : KeyRaceHttpTests, IClassFixture<AzureStorageKeyRaceTests.Host>
{
    protected override SiloServer Silo => host.Silo;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
    public sealed class Host : IAsyncLifetime
    {
        private Azurite _azurite = null!;

        public SiloServer Silo { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _azurite = await Azurite.StartAsync();
            Silo = new SiloServer(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N")), "AzureStorage")
            {
                Settings = [$"Storage:AzureStorage:ConnectionString={_azurite.ConnectionString}", "Auth:TokenPepper=race-pepper",
                    $"Orleans:ClusterId=races{Guid.NewGuid():N}", $"Orleans:ServiceId=races{Guid.NewGuid():N}"],
            };
            await Silo.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Silo.DisposeAsync();
            await _azurite.DisposeAsync();
        }
    }
}
