using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Postgres;
using RfpioGateway.Tests.Shared;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// What only the PostgreSQL provider has: the schema upgrade silos run as they start, Orleans' membership protocol
/// on the silo table, the ETag rules of grain storage, and directory rows (the shard grain's store).
/// </summary>
public sealed class PostgresStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(MembershipEntry).Assembly))
        .BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public async Task EnsureSchema_SixSilosStartingAtOnce_EachScriptAppliedOnce()
    {
        var connection = await postgres.Server.CreateDatabaseAsync("upgrade_race");
        var silos = Enumerable.Range(0, 6).Select(_ => new PostgresDatabase(connection)).ToList();

        await Task.WhenAll(silos.Select(silo => silo.EnsureSchemaAsync()));
        var before = await PostgresSchema.UpgradeAsync(NpgsqlDataSource.Create(connection));

        Assert.Equal(PostgresSchema.Latest, before);
        await using var database = new NpgsqlConnection(connection);
        await database.OpenAsync();
        await using var versions = new NpgsqlCommand("SELECT array_agg(version ORDER BY version) FROM rfpio_schema", database);
        Assert.Equal(Enumerable.Range(1, PostgresSchema.Latest), (int[])(await versions.ExecuteScalarAsync())!);
        foreach (var silo in silos)
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task InsertRow_StaleVersionOrSiloTwice_RefusedAndNothingChanged()
    {
        var table = SiloTable("insert");
        await table.InitializeMembershipTable(true);
        var start = (await table.ReadAll()).Version;

        Assert.True(await table.InsertRow(Entry(1), start.Next()));
        Assert.False(await table.InsertRow(Entry(2), start.Next()));           // the version moved since it was read
        var current = (await table.ReadAll()).Version;
        Assert.False(await table.InsertRow(Entry(1), current.Next()));         // that silo is there already

        var read = await table.ReadAll();
        Assert.Equal(current.Version, read.Version.Version);
        Assert.Equal([Entry(1).SiloAddress], read.Members.Select(m => m.Item1.SiloAddress));
    }

    [Fact]
    public async Task UpdateRow_StaleEtag_RefusedAndFreshEtagAccepted()
    {
        var table = SiloTable("update");
        await table.InitializeMembershipTable(true);
        Assert.True(await table.InsertRow(Entry(1), (await table.ReadAll()).Version.Next()));
        var (entry, etag) = (await table.ReadRow(Entry(1).SiloAddress)).Members.Single();

        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRow(entry, etag, (await table.ReadAll()).Version.Next()));
        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRow(entry, etag, (await table.ReadAll()).Version.Next()));

        var (stored, fresh) = (await table.ReadRow(Entry(1).SiloAddress)).Members.Single();
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.True(await table.UpdateRow(entry, fresh, (await table.ReadAll()).Version.Next()));
        Assert.Equal(SiloStatus.Dead, (await table.ReadRow(Entry(1).SiloAddress)).Members.Single().Item1.Status);
    }

    [Fact]
    public async Task UpdateIAmAlive_ThenCleanup_OnlyOldDeadSilosRemoved()
    {
        var table = SiloTable("cleanup");
        await table.InitializeMembershipTable(true);
        var old = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var (n, status) in new[] { (1, SiloStatus.Dead), (2, SiloStatus.Active), (3, SiloStatus.Dead) })
        {
            var entry = Entry(n);
            entry.Status = status;
            entry.IAmAliveTime = old;
            Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        }
        var recent = Entry(3);
        recent.IAmAliveTime = DateTime.UtcNow;
        await table.UpdateIAmAlive(recent);

        await table.CleanupDefunctSiloEntries(DateTimeOffset.UtcNow.AddHours(-1));

        var left = (await table.ReadAll()).Members.Select(m => m.Item1).OrderBy(e => e.SiloAddress.Endpoint.Port).ToList();
        Assert.Equal([2, 3], left.Select(e => e.SiloAddress.Endpoint.Port - 11110));
        Assert.True(left[1].IAmAliveTime > old);
    }

    [Fact]
    public async Task WriteState_StaleEtag_InconsistentStateAndStoredStateKept()
    {
        var storage = new PostgresGrainStorage("scim", postgres.Database, new ClusterOptions { ServiceId = "etag-" + Guid.NewGuid().ToString("N") }, Serializer);
        var grain = GrainId.Create("user", "pg-etag/u1");
        var first = new GrainState<List<string>> { State = ["one"] };
        await storage.WriteStateAsync("state", grain, first);
        var stale = new GrainState<List<string>> { State = ["stale"], ETag = null };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", grain, stale));
        first.State = ["two"];
        await storage.WriteStateAsync("state", grain, first);
        stale.ETag = "1";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("state", grain, stale));

        var read = new GrainState<List<string>>();
        await storage.ReadStateAsync("state", grain, read);
        Assert.Equal(["two"], read.State);
        Assert.Equal(("2", true), (read.ETag, read.RecordExists));
        await storage.ClearStateAsync("state", grain, read);
        await storage.ReadStateAsync("state", grain, read);
        Assert.Equal((null, false), (read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task DirectoryRows_UpsertTwiceAndRemove_OneRowPerResourceInItsShard()
    {
        var store = new PostgresDirectoryStore(postgres.Database, "dir-" + Guid.NewGuid().ToString("N"));

        await store.UpsertAsync("t/User/1", new ResourceSummary("a", """{"v":1}"""));
        await store.UpsertAsync("t/User/1", new ResourceSummary("a", """{"v":2}"""));
        await store.UpsertAsync("t/User/1", new ResourceSummary("b", """{"v":1}"""));
        await store.UpsertAsync("t/User/2", new ResourceSummary("c", """{"v":1}"""));
        await store.RemoveAsync("t/User/1", "b");

        Assert.Equal([("a", """{"v":2}""")], (await store.ReadShardAsync("t/User/1")).Select(r => (r.Id, r.Json)));
        Assert.Equal(["c"], (await store.ReadShardAsync("t/User/2")).Select(r => r.Id));
    }

    [Fact]
    public async Task EnsureSchema_VerifyFullAgainstTheServersCa_ConnectsAndAnotherCaIsRefused()
    {
        await using var server = await PostgresServer.StartWithTlsAsync();
        var verified = $"{server.ConnectionString};SSL Mode=VerifyFull;Root Certificate={server.CaCertificatePath}";
        await using (var database = new PostgresDatabase(verified))
        {
            await database.EnsureSchemaAsync();
            await using var connection = await database.OpenAsync();
            await using var ssl = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
            Assert.True((bool)(await ssl.ExecuteScalarAsync())!);
        }

        // Verifying against a CA that did not issue the server's certificate: no connection, and nothing sent.
        await using var other = await PostgresServer.StartWithTlsAsync();
        var wrongCa = $"{server.ConnectionString};SSL Mode=VerifyFull;Root Certificate={other.CaCertificatePath}";
        await using var refused = new PostgresDatabase(wrongCa);
        var error = await Assert.ThrowsAnyAsync<Exception>(refused.EnsureSchemaAsync);
        Assert.Contains(Chain(error), e => e is System.Security.Authentication.AuthenticationException);
    }

    [Fact]
    public void Build_PostgresWithoutSharedSecrets_RefusesNamingThem()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Hosting.SiloHost.Build(
            ["--Storage:Provider=Postgres", $"--Storage:Postgres:ConnectionString={postgres.Server.ConnectionString}"]));

        Assert.Contains("Auth:TokenPepper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PostgresWithoutConnectionString_RefusesNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Hosting.SiloHost.Build(
            ["--Storage:Provider=Postgres", "--Auth:TokenPepper=p", "--Admin:ApiKey=k"]));

        Assert.Contains("Storage:Postgres:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private PostgresSiloTable SiloTable(string cluster) =>
        new(postgres.Database, Options.Create(new ClusterOptions { ClusterId = $"{cluster}-{Guid.NewGuid():N}" }), Serializer);

    private static MembershipEntry Entry(int n) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), 1),
        HostName = "host",
        SiloName = $"silo{n}",
        Status = SiloStatus.Joining,
        ProxyPort = 30000 + n,
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
        SuspectTimes = [],
    };
}
