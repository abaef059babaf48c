using System.Text.Json.Nodes;
using Harness.Data;

namespace Harness.Strategies;

/// <summary>
/// A domain-balanced reservoir: class-balanced reservoir sampling (Chrysakis &amp; Moens 2020, "Online Continual
/// Learning from Imbalanced Data"), with domains as the classes and the equal shares of GDumb's balanced greedy
/// sampler (Prabhu et al. 2020). Each domain seen is owed floor or ceil of capacity / domains slots
/// (<see cref="BalancedShares"/>, earlier domains get the extra ones). While there is room every sample is kept. Once
/// full, a sample of a domain below its share evicts a random sample of the domain furthest above its share, so a new
/// domain takes its share from the largest ones as its samples arrive; a sample of a domain at its share replaces a
/// random one of that domain with probability held / seen of that domain, so each domain's part stays a uniform sample
/// of that domain's stream (algorithm R within the domain).
/// </summary>
internal sealed class BalancedBuffer(int capacity, StableRandom random) : IReplayBuffer
{
    private readonly List<int> _domains = []; // in arrival order
    private readonly Dictionary<int, List<ReplayEntry>> _held = [];
    private readonly Dictionary<int, long> _seen = [];

    /// <inheritdoc />
    public long Seen { get; private set; }

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <summary>The held entries, grouped by domain in arrival order.</summary>
    public IReadOnlyList<ReplayEntry> Items => _domains.SelectMany(d => _held[d]).ToList();

    /// <inheritdoc />
    public long Bytes => _held.Values.Sum(list => list.Sum(e => e.Bytes));

    /// <summary>Held samples of each domain, in arrival order.</summary>
    public IReadOnlyList<(int Domain, int Count)> PerDomain => _domains.Select(d => (d, _held[d].Count)).ToList();

    /// <inheritdoc />
    public bool Offer(ReplayEntry entry)
    {
        Seen++;
        int domain = entry.Sample.Domain;
        if (_held.TryAdd(domain, []))
        {
            _domains.Add(domain);
            _seen[domain] = 0;
        }
        long seenOfDomain = ++_seen[domain];
        var own = _held[domain];
        if (Count < capacity)
        {
            own.Add(entry);
            Count++;
            return true;
        }

        var shares = BalancedShares.Split(capacity, _domains.Select(_ => int.MaxValue).ToList());
        if (own.Count < shares[_domains.IndexOf(domain)])
        {
            var victim = _domains
                .Select((d, i) => (List: _held[d], Over: _held[d].Count - shares[i]))
                .OrderByDescending(x => x.Over).ThenByDescending(x => x.List.Count)
                .First().List; // OrderBy is stable: ties go to the earliest domain
            victim.RemoveAt(random.Next(victim.Count));
            own.Add(entry);
            return true;
        }
        long slot = random.NextLong(seenOfDomain);
        if (slot >= own.Count) return false;
        own[(int)slot] = entry;
        return true;
    }

    /// <inheritdoc />
    public void Save(PluginState state)
    {
        ReplayEntries.PutByDomain(state, _domains.Select(d => (d, (IReadOnlyList<ReplayEntry>)_held[d])).ToList());
        state.Values["buffer_domain_seen"] = new JsonArray(_domains.Select(d => (JsonNode?)_seen[d]).ToArray());
        state.Values["buffer_seen"] = Seen;
        state.Values["buffer_random"] = random.State;
    }

    /// <inheritdoc />
    public void Load(PluginState state)
    {
        var groups = ReplayEntries.GetByDomain(state);
        var seen = state.Value("buffer_domain_seen").AsArray().Select(c => c!.GetValue<long>()).ToList();
        _domains.Clear();
        _held.Clear();
        _seen.Clear();
        for (int i = 0; i < groups.Count; i++)
        {
            _domains.Add(groups[i].Domain);
            _held[groups[i].Domain] = groups[i].Entries;
            _seen[groups[i].Domain] = seen[i];
        }
        Count = groups.Sum(g => g.Entries.Count);
        Seen = state.Value("buffer_seen").GetValue<long>();
        random.State = state.Value("buffer_random").GetValue<ulong>();
    }

    /// <inheritdoc />
    public IEnumerable<ReplayEntry> Sample(int count, StableRandom draw)
    {
        var items = Items;
        for (int i = 0; i < count; i++) yield return items[draw.Next(items.Count)];
    }
}
