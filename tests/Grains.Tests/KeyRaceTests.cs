using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Every pair of writes that meet at one uniqueness key, raced many rounds from different silos: exactly one
/// winner, no call that hangs (a cycle of grain calls waiting on itself would sit until Orleans' 30 s timeout),
/// and afterwards the key agrees with the users.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KeyRaceTests(ClusterFixture fixture)
{
    private const int Rounds = 150;

    /// <summary>A hang detector, not a speed limit: a healthy pair finishes in milliseconds.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task Delete_RacingCreateOfTheSameNameUpperCased_NeitherHangsAndTheNameEndsConsistent()
    {
        var tenant = await Users.TenantAsync(Grains, "race-delete-create");
        for (var round = 0; round < Rounds; round++)
        {
            var name = $"jane{round}@example.com";
            var holder = (await Users.CreateAsync(Grains, tenant, $$"""{"userName":"{{name}}"}""")).Resource!.Id;
            var delete = fixture.FromSilo(round).GetGrain<IUserGrain>(GrainKeys.User(tenant, holder)).DeleteAsync(null);
            var create = Users.CreateAsync(fixture.FromSilo(round + 1), tenant, $$"""{"userName":"{{name.ToUpperInvariant()}}"}""");
            var (deleted, created) = await BothAsync(delete, create, round);

            Assert.True(deleted.IsSuccess, $"round {round}: {deleted.Failure?.Detail}");
            Assert.True(created.IsSuccess || created.Failure!.Status == 409, $"round {round}: {created.Failure?.Detail}");
            var found = await Users.FindAsync(Grains, tenant, name);
            if (created.IsSuccess)
            {
                Assert.Equal(created.Resource!.Id, found?.Id);
            }
            else
            {
                // The create lost to a holder that is gone now: the name is free.
                Assert.Null(found);
                Assert.True((await Users.CreateAsync(Grains, tenant, $$"""{"userName":"{{name}}"}""")).IsSuccess, $"round {round}: name not reusable");
            }
        }
    }

    [Fact]
    public async Task Rename_RacingCreateOfTheNewName_ExactlyOneHoldsItEveryRound()
    {
        var tenant = await Users.TenantAsync(Grains, "race-rename-create");
        for (var round = 0; round < Rounds; round++)
        {
            var renamed = (await Users.CreateAsync(Grains, tenant, $$"""{"userName":"old{{round}}"}""")).Resource!.Id;
            var rename = Users.PatchAsync(fixture.FromSilo(round), tenant, renamed, $$"""{"op":"replace","path":"userName","value":"New{{round}}"}""");
            var create = Users.CreateAsync(fixture.FromSilo(round + 1), tenant, $$"""{"userName":"new{{round}}"}""");
            var (renameResult, createResult) = await BothAsync(rename, create, round);

            Assert.True(renameResult.IsSuccess != createResult.IsSuccess, $"round {round}: rename {renameResult.IsSuccess}, create {createResult.IsSuccess}");
            var holder = await Users.FindAsync(Grains, tenant, $"NEW{round}");
            Assert.Equal(renameResult.IsSuccess ? renamed : createResult.Resource!.Id, holder?.Id);
            Assert.Equal(renameResult.IsSuccess ? null : renamed, (await Users.FindAsync(Grains, tenant, $"old{round}"))?.Id);
        }
    }

    [Fact]
    public async Task Delete_RacingRenameOfAnotherUserToTheName_NeitherHangsAndTheNameEndsConsistent()
    {
        var tenant = await Users.TenantAsync(Grains, "race-delete-rename");
        for (var round = 0; round < Rounds; round++)
        {
            var deletedId = (await Users.CreateAsync(Grains, tenant, $$"""{"userName":"a{{round}}"}""")).Resource!.Id;
            var renamedId = (await Users.CreateAsync(Grains, tenant, $$"""{"userName":"b{{round}}"}""")).Resource!.Id;
            var delete = fixture.FromSilo(round).GetGrain<IUserGrain>(GrainKeys.User(tenant, deletedId)).DeleteAsync(null);
            var rename = Users.PatchAsync(fixture.FromSilo(round + 2), tenant, renamedId, $$"""{"op":"replace","path":"userName","value":"A{{round}}"}""");
            var (deleted, renamed) = await BothAsync(delete, rename, round);

            Assert.True(deleted.IsSuccess, $"round {round}: {deleted.Failure?.Detail}");
            Assert.True(renamed.IsSuccess || renamed.Failure!.Status == 409, $"round {round}: {renamed.Failure?.Detail}");
            Assert.Equal(renamed.IsSuccess ? renamedId : null, (await Users.FindAsync(Grains, tenant, $"a{round}"))?.Id);
            Assert.Equal(renamed.IsSuccess ? null : renamedId, (await Users.FindAsync(Grains, tenant, $"b{round}"))?.Id);
        }
    }

    [Fact]
    public async Task Create_RacingCreateOfTheSameNameEveryRound_ExactlyOneWins()
    {
        var tenant = await Users.TenantAsync(Grains, "race-create-create");
        for (var round = 0; round < Rounds; round++)
        {
            var first = Users.CreateAsync(fixture.FromSilo(round), tenant, $$"""{"userName":"twin{{round}}"}""");
            var second = Users.CreateAsync(fixture.FromSilo(round + 1), tenant, $$"""{"userName":"TWIN{{round}}"}""");
            var (a, b) = await BothAsync(first, second, round);

            Assert.True(a.IsSuccess != b.IsSuccess, $"round {round}: {a.Failure?.Detail} / {b.Failure?.Detail}");
            Assert.Equal((a.IsSuccess ? a : b).Resource!.Id, (await Users.FindAsync(Grains, tenant, $"twin{round}"))?.Id);
        }
    }

    private static async Task<(ResourceResult, ResourceResult)> BothAsync(Task<ResourceResult> first, Task<ResourceResult> second, int round)
    {
        try
        {
            await Task.WhenAll(first, second).WaitAsync(Hang);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"round {round}: the pair did not finish within {Hang.TotalSeconds} s: a cycle of grain calls is waiting on itself");
        }
        return (await first, await second);
    }
}
