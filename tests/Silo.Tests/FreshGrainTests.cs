using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Storage.Sqlite;

namespace RfpioGateway.Silo.Tests;

/// <summary>A create under a just-minted id skips its activation's read; nothing else does, and its first write still cannot overwrite.</summary>
public sealed class FreshGrainTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public async Task ReadState_GrainMarkedFresh_SkipsTheReadAndItsFirstWriteCannotOverwrite()
    {
        var file = new SqliteFile(Path.Combine(Path.GetTempPath(), "rfpio-fresh-grain", Guid.NewGuid().ToString("N"), "fresh.db"));
        var storage = new SqliteGrainStorage("scim", file, new ClusterOptions { ServiceId = "fresh" }, Serializer);
        await storage.InitializeAsync(CancellationToken.None);
        // A row under the "fresh" id stands for the collision a v7 GUID never has: it shows whether storage was read.
        var collided = GrainId.Create("user", "fresh-tenant/collided");
        var other = GrainId.Create("user", "fresh-tenant/other");
        await storage.WriteStateAsync("state", collided, new GrainState<List<string>> { State = ["stored"] });
        await storage.WriteStateAsync("state", other, new GrainState<List<string>> { State = ["other"] });

        var (fresh, neighbour) = await FreshGrain.CreateAsync(collided, async () =>
        {
            var freshRead = new GrainState<List<string>>();
            await storage.ReadStateAsync("state", collided, freshRead);
            var otherRead = new GrainState<List<string>>();
            await storage.ReadStateAsync("state", other, otherRead);
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", collided, freshRead));
            return (freshRead, otherRead);
        });

        Assert.Equal((false, null), (fresh.RecordExists, fresh.ETag));
        Assert.Equal(["other"], neighbour.State);
        var after = new GrainState<List<string>>();
        await storage.ReadStateAsync("state", collided, after);
        Assert.Equal(["stored"], after.State);
    }
}
