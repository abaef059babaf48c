namespace Harness.Strategies;

/// <summary>
/// How a capacity is shared among domains: equally, floor or ceil of capacity / domains with the extra slots going to
/// the domains that arrived first; a domain with fewer samples available than its share keeps all of them and the
/// rest is shared among the others (water-filling).
/// </summary>
internal static class BalancedShares
{
    /// <summary>The share of each domain, in arrival order; <paramref name="available"/> caps each (int.MaxValue = a stream).</summary>
    public static int[] Split(int capacity, IReadOnlyList<int> available)
    {
        var shares = new int[available.Count];
        int remaining = capacity;
        var open = Enumerable.Range(0, available.Count).Where(i => available[i] > 0).ToList();
        while (remaining > 0 && open.Count > 0)
        {
            int each = remaining / open.Count;
            if (each == 0)
            {
                foreach (int i in open.Take(remaining)) shares[i]++;
                break;
            }
            foreach (int i in open)
            {
                int given = Math.Min(each, available[i] - shares[i]);
                shares[i] += given;
                remaining -= given;
            }
            open.RemoveAll(i => shares[i] >= available[i]);
        }
        return shares;
    }
}
