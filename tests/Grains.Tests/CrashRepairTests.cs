using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Every storage write of a create, a rename and a delete is failed in turn (the operation stops between two of
/// its steps). Afterwards, once the IdP retries as it does, the user is fully there or fully absent, each userName
/// has at most one holder, and a free name can be taken again.
/// </summary>
public abstract class CrashRepairCases(ClusterFixture fixture, string prefix)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task Create_FailEachStorageWriteInTurn_UserWholeOrAbsentAndNameReusable()
    {
        const string body = """{"userName":"crash@example.com","externalId":"e-1"}""";
        var writes = await Users.CountWritesAsync(Grains, prefix + "crash-create-count", tenant => Users.CreateAsync(Grains, tenant, body));
        Assert.True(writes >= 4, $"a create should write keys, user, summary and user again; counted {writes}");

        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var tenant = await Users.TenantAsync(Grains, $"{prefix}crash-create-{failAt}");
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            var first = await Users.TryAsync(() => Users.CreateAsync(Grains, tenant, body));
            FaultyGrainStorage.Disarm(tenant.Value);
            Assert.True(first is null, $"write {failAt} failed, so the create must not report success");

            // The IdP retries the POST: 201 if nothing was kept, else 409 and the user is found by filter.
            var retry = await Users.CreateAsync(Grains, tenant, body);
            Assert.True(retry.IsSuccess || retry.Failure!.Status == 409, $"write {failAt}: retry answered {retry.Failure?.Detail}");
            var found = await Users.FindAsync(Grains, tenant, "CRASH@example.com");
            Assert.NotNull(found);
            Assert.Equal([found.Id], await Users.ListedAsync(Grains, tenant));

            // Deleting frees both names for a new user.
            Assert.True((await Grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, found.Id)).DeleteAsync(null)).IsSuccess);
            Assert.True((await Users.CreateAsync(Grains, tenant, body)).IsSuccess, $"write {failAt}: name not reusable");
        }
    }

    [Fact]
    public async Task Rename_FailEachStorageWriteInTurn_EachNameHasOneHolderAndFreeNamesReusable()
    {
        const string rename = """{"op":"replace","path":"userName","value":"renamed"}""";
        var writes = await Users.CountWritesAsync(Grains, prefix + "crash-rename-count", async tenant =>
        {
            var id = (await Users.CreateAsync(Grains, tenant, """{"userName":"original"}""")).Resource!.Id;
            FaultyGrainStorage.Count(tenant.Value);
            return await Users.PatchAsync(Grains, tenant, id, rename);
        });

        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var tenant = await Users.TenantAsync(Grains, $"{prefix}crash-rename-{failAt}");
            var id = (await Users.CreateAsync(Grains, tenant, """{"userName":"original"}""")).Resource!.Id;
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            await Users.TryAsync(() => Users.PatchAsync(Grains, tenant, id, rename));
            FaultyGrainStorage.Disarm(tenant.Value);

            var byOld = await Users.FindAsync(Grains, tenant, "original");
            var byNew = await Users.FindAsync(Grains, tenant, "renamed");
            Assert.True((byOld is null) != (byNew is null), $"write {failAt}: the user must hold exactly one of its names");
            Assert.Equal(id, (byOld ?? byNew)!.Id);

            var freeName = byOld is null ? "original" : "renamed";
            Assert.True((await Users.CreateAsync(Grains, tenant, $$"""{"userName":"{{freeName}}"}""")).IsSuccess, $"write {failAt}: '{freeName}' not reusable");
            Assert.Equal(2, (await Users.ListedAsync(Grains, tenant)).Count);
        }
    }

    [Fact]
    public async Task Delete_FailEachStorageWriteInTurn_RetryFinishesAndNameReusable()
    {
        const string body = """{"userName":"gone@example.com","externalId":"g-1"}""";
        var writes = await Users.CountWritesAsync(Grains, prefix + "crash-delete-count", async tenant =>
        {
            var id = (await Users.CreateAsync(Grains, tenant, body)).Resource!.Id;
            FaultyGrainStorage.Count(tenant.Value);
            return await Grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, id)).DeleteAsync(null);
        });

        for (var failAt = 1; failAt <= writes; failAt++)
        {
            var tenant = await Users.TenantAsync(Grains, $"{prefix}crash-delete-{failAt}");
            var id = (await Users.CreateAsync(Grains, tenant, body)).Resource!.Id;
            var user = Grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, id));
            FaultyGrainStorage.Arm(tenant.Value, failAt);
            await Users.TryAsync(() => user.DeleteAsync(null));
            FaultyGrainStorage.Disarm(tenant.Value);

            // The IdP retries the DELETE until it sees 204 or 404.
            var retry = await user.DeleteAsync(null);
            Assert.True(retry.IsSuccess || retry.Failure!.Status == 404, $"write {failAt}: {retry.Failure?.Detail}");
            Assert.Null(await user.GetAsync());
            Assert.Null(await Users.FindAsync(Grains, tenant, "gone@example.com"));
            Assert.Empty(await Users.ListedAsync(Grains, tenant));
            Assert.True((await Users.CreateAsync(Grains, tenant, body)).IsSuccess, $"write {failAt}: name not reusable");
        }
    }
}

[Collection(ClusterCollection.Name)]
public sealed class CrashRepairTests(ClusterFixture fixture) : CrashRepairCases(fixture, "");

/// <summary>The same cuts with every row in PostgreSQL.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresCrashRepairTests(PostgresClusterFixture fixture) : CrashRepairCases(fixture, "pg-");
