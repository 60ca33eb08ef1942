namespace RfpioGateway.Grains;

/// <summary>
/// The membership operations of one request, folded in order into one net change: a later operation on a member
/// overrides an earlier one, and replacing the whole list forgets what came before it.
/// </summary>
internal sealed class MembershipEdit
{
    private readonly List<string> _addOrder = [];
    private readonly HashSet<string> _adds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removes = new(StringComparer.Ordinal);

    /// <summary>Every current member goes first.</summary>
    public bool Clear { get; private set; }

    public bool Touched { get; private set; }

    public IReadOnlyCollection<string> Adds => _addOrder;

    public IReadOnlyCollection<string> Removes => _removes;

    public void Add(string userId)
    {
        Touched = true;
        _removes.Remove(userId);
        if (_adds.Add(userId))
        {
            _addOrder.Add(userId);
        }
    }

    public void Remove(string userId)
    {
        Touched = true;
        if (_adds.Remove(userId))
        {
            _addOrder.Remove(userId);
        }
        if (!Clear)
        {
            _removes.Add(userId);
        }
    }

    public void RemoveAll()
    {
        Touched = true;
        Clear = true;
        _adds.Clear();
        _addOrder.Clear();
        _removes.Clear();
    }

    public void ReplaceAll(IEnumerable<string> userIds)
    {
        RemoveAll();
        foreach (var id in userIds)
        {
            Add(id);
        }
    }
}
