using Harness.Data;

namespace Harness.Strategies;

/// <summary>
/// A bounded memory holding a uniform random sample of every sample offered to it: Vitter's algorithm R
/// (Vitter 1985, "Random Sampling with a Reservoir"). After n offers each offered sample is kept with probability
/// capacity / n. Samples are kept as token ids, never as tensors.
/// </summary>
internal sealed class ReservoirBuffer(int capacity, StableRandom random) : IReplayBuffer
{
    private readonly List<ReplayEntry> _items = new(capacity);

    /// <inheritdoc />
    public long Seen { get; private set; }

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public IReadOnlyList<ReplayEntry> Items => _items;

    /// <inheritdoc />
    public long Bytes => _items.Sum(e => e.Bytes);

    /// <summary>Kept outright while there is room, else it replaces a random slot with probability capacity / seen.</summary>
    public bool Offer(ReplayEntry entry)
    {
        Seen++;
        if (_items.Count < capacity)
        {
            _items.Add(entry);
            return true;
        }
        long slot = random.NextLong(Seen);
        if (slot >= capacity) return false;
        _items[(int)slot] = entry;
        return true;
    }

    /// <inheritdoc />
    public void Save(PluginState state)
    {
        ReplayEntries.Put(state, "buffer", _items);
        state.Values["buffer_seen"] = Seen;
        state.Values["buffer_random"] = random.State;
    }

    /// <inheritdoc />
    public void Load(PluginState state)
    {
        _items.Clear();
        _items.AddRange(ReplayEntries.Get(state, "buffer"));
        Seen = state.Value("buffer_seen").GetValue<long>();
        random.State = state.Value("buffer_random").GetValue<ulong>();
    }

    /// <inheritdoc />
    public IEnumerable<ReplayEntry> Sample(int count, StableRandom draw)
    {
        for (int i = 0; i < count; i++) yield return _items[draw.Next(_items.Count)];
    }
}
