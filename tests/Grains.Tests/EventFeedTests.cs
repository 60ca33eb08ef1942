using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains.Tests;

/// <summary>A tenant's feed takes appends that arrive together in one store write, and still numbers them 1, 2, … with no gap or repeat.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EventFeedTests(ClusterFixture fixture)
{
    private const int Appends = 200;

    /// <summary>A hang detector, not a speed limit: the calls arrive in milliseconds.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AppendAsync_ManyWhileAWriteIsHeld_BatchedAndNumberedWithoutGaps()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "feed-batch");
        var feed = fixture.Client.GetGrain<IEventFeedGrain>(GrainKeys.Tenant(tenant));
        var release = new TaskCompletionSource();
        FaultyEventStore.Hold(tenant.Value, release.Task);

        var first = feed.AppendAsync(Event(0), repair: false);
        // Once the held write has started, every other append queues behind it.
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (FaultyEventStore.Calls(tenant.Value) == 0)
        {
            Assert.True(started.Elapsed < Hang, "the first append never reached the store");
            await Task.Yield();
        }
        var rest = Enumerable.Range(1, Appends - 1).Select(i => feed.AppendAsync(Event(i), repair: false)).ToList();
        // Release only once every append has reached the feed, so all that are not held wait for the next batch.
        var hang = System.Diagnostics.Stopwatch.StartNew();
        while (GrainCallArrivals.Of(feed.GetGrainId(), nameof(IEventFeedGrain.AppendAsync)) < Appends)
        {
            Assert.True(hang.Elapsed < Hang, "the appends never all reached the feed");
            await Task.Yield();
        }
        release.SetResult();
        var sequences = await Task.WhenAll([first, .. rest]);

        Assert.Equal(Enumerable.Range(1, Appends).Select(i => (long)i), sequences.Order());
        var stored = await fixture.EventStore.ReadAsync(tenant.Value, 0, Appends + 1);
        Assert.Equal(Enumerable.Range(1, Appends).Select(i => (long)i), stored.Select(e => e.Sequence));
        // Each caller was told the sequence its own event was stored under.
        Assert.All(stored, e => Assert.Equal(e.Sequence, sequences[int.Parse(e.ResourceId[1..], System.Globalization.CultureInfo.InvariantCulture)]));
        // The held write, then the 199 that queued behind it in batches of at most 64: five writes for 200 events.
        Assert.Equal(1 + (Appends - 1 + 63) / 64, FaultyEventStore.Calls(tenant.Value));
        Assert.Equal(Appends, await feed.HeadAsync());
    }

    [Fact]
    public async Task AppendAsync_RepairOfAStoredEvent_KeepsItsFirstSequence()
    {
        var tenant = await Users.TenantAsync(fixture.Client, "feed-repair");
        var feed = fixture.Client.GetGrain<IEventFeedGrain>(GrainKeys.Tenant(tenant));
        await feed.AppendAsync(Event(0), repair: false);
        await feed.AppendAsync(Event(1), repair: false);

        var repaired = await feed.AppendAsync(Event(0), repair: true);

        Assert.Equal(1, repaired);
        Assert.Equal(2, await feed.HeadAsync());
    }

    private static ChangeEvent Event(int i) =>
        new(0, "User", $"u{i}", 1, ChangeKind.Create, DateTimeOffset.UtcNow, [], [], DateTimeOffset.UtcNow, null);
}
