namespace RfpioGateway.Gateway.LoadBalancing;

/// <summary>
/// Highest-random-weight hashing: each (key, node) pair gets a pseudo-random score and the key goes to the node with
/// the highest. Removing a node moves only the keys that were on it; adding one takes about 1/N of the keys from the
/// others. Scores are stable across processes and restarts (no randomized string hashing), so every gateway replica
/// sends a tenant to the same silo.
/// </summary>
internal static class RendezvousHash
{
    public static ulong Score(string key, string node)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(node);
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offset;
        foreach (var c in key)
        {
            hash = (hash ^ c) * prime;
        }
        // A separator no host name or tenant contains, so ("ab","c") and ("a","bc") score differently.
        hash = (hash ^ 0xFFFF) * prime;
        foreach (var c in node)
        {
            hash = (hash ^ c) * prime;
        }
        // FNV alone mixes the last characters weakly; the SplitMix64 finalizer spreads every bit.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return hash;
    }

    /// <summary>The index in <paramref name="nodes"/> that <paramref name="key"/> goes to, or -1 when there are none.</summary>
    public static int Pick<T>(string key, IReadOnlyList<T> nodes, Func<T, string> nodeName)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(nodeName);
        var best = -1;
        var bestScore = 0UL;
        for (var i = 0; i < nodes.Count; i++)
        {
            var score = Score(key, nodeName(nodes[i]));
            if (best < 0 || score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }
}
