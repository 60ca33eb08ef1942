using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class UniquenessTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Create_HundredRacingCreatesOfOneNameInVaryingCaseOnThreeSilos_ExactlyOneWins()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "race-create");
        string[] spellings = ["Jane@Example.com", "JANE@EXAMPLE.COM", "jane@example.com", "jAnE@eXample.Com"];
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Users.CreateAsync(fixture.FromSilo(i), tenant, $$"""{"userName":"{{spellings[i % spellings.Length]}}"}""")));
        Assert.Single(results, r => r.IsSuccess);
        Assert.Equal(99, results.Count(r => r.Failure is { Status: 409 }));
        var winner = results.Single(r => r.IsSuccess).Resource!.Id;
        Assert.Equal(winner, (await Users.FindAsync(fixture.Client, tenant, "JANE@example.com"))?.Id);
        Assert.Equal([winner], await Users.ListedAsync(fixture.Client, tenant));
    }

    [Fact]
    public async Task Rename_RacingCreatesOfTheNewName_ExactlyOneHoldsIt()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "race-rename");
        var renamed = (await Users.CreateAsync(fixture.Client, tenant, """{"userName":"old-name"}""")).Resource!.Id;
        var rename = Users.PatchAsync(fixture.FromSilo(1), tenant, renamed, """{"op":"replace","path":"userName","value":"New-Name"}""");
        var creates = Enumerable.Range(0, 30).Select(i => Users.CreateAsync(fixture.FromSilo(i), tenant, """{"userName":"new-name"}"""));
        var results = await Task.WhenAll(creates.Prepend(rename));
        Assert.Single(results, r => r.IsSuccess);
        var holder = await Users.FindAsync(fixture.Client, tenant, "NEW-NAME");
        Assert.NotNull(holder);
        if (results[0].IsSuccess)
        {
            Assert.Equal(renamed, holder.Id);
            Assert.Null(await Users.FindAsync(fixture.Client, tenant, "old-name"));
        }
        else
        {
            Assert.Equal(renamed, (await Users.FindAsync(fixture.Client, tenant, "old-name"))?.Id);
        }
    }

    [Fact]
    public async Task Create_SameNameInTwoTenants_BothCreated()
    {
        var a = await Users.TenantAsync(fixture.Client, "keys-a");
        var b = await Users.TenantAsync(fixture.Client, "keys-b");
        Assert.True((await Users.CreateAsync(fixture.Client, a, """{"userName":"shared","externalId":"x"}""")).IsSuccess);
        Assert.True((await Users.CreateAsync(fixture.Client, b, """{"userName":"shared","externalId":"x"}""")).IsSuccess);
    }

    [Fact]
    public void GrainKeys_TenantPartsSurviveAzureTableRewrite_Distinct()
    {
        // Azure Table storage turns / \ # ? into _; none of our key parts can contain _, so keys stay distinct.
        static string Rewrite(string key) => key.Replace('/', '_').Replace('\\', '_').Replace('#', '_').Replace('?', '_');
        var keys = new[]
        {
            GrainKeys.User(TenantId.Parse("acme"), "0123456789abcdef0123456789abcdef"),
            GrainKeys.User(TenantId.Parse("acme-x"), "0123456789abcdef0123456789abcdef"),
            GrainKeys.UserName(TenantId.Parse("acme"), "x_1/#?"),
            GrainKeys.UserName(TenantId.Parse("acme"), "x/1_#?"),
            GrainKeys.ExternalId(TenantId.Parse("acme"), "x_1/#?"),
            GrainKeys.Shard(TenantId.Parse("acme"), 1),
        };
        Assert.Equal(keys.Length, keys.Select(Rewrite).Distinct().Count());
        Assert.All(keys, k => Assert.DoesNotContain('_', k));
    }
}
