using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Grains;

/// <summary>
/// Numbers a tenant's changes. The only writer of its tenant's feed, so sequences have no gaps: a number is taken
/// only once its row is stored, and a failed append re-reads the head on the next activation rather than guess.
/// </summary>
[GrainType("eventfeed"), Orleans.Placement.PreferLocalPlacement]
internal sealed class EventFeedGrain(IEventStore store) : Grain, IEventFeedGrain
{
    private string _tenant = "";
    private long _head;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenant = this.GetPrimaryKeyString();
        _head = await store.HeadAsync(_tenant);
    }

    public async Task<long> AppendAsync(ChangeEvent change, bool repair)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (repair && await store.FindAsync(_tenant, change.Key) is { } existing)
        {
            return existing;
        }
        var next = _head + 1;
        try
        {
            await store.AppendAsync(_tenant, change with { Sequence = next });
        }
        catch
        {
            // The row may or may not be there: the next activation reads the head again.
            DeactivateOnIdle();
            throw;
        }
        _head = next;
        return next;
    }

    public Task<long> HeadAsync() => Task.FromResult(_head);
}
