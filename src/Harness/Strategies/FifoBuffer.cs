using Harness.Data;

namespace Harness.Strategies;

/// <summary>
/// A ring of the newest samples: once full, each offer overwrites the oldest. The recency baseline of replay studies
/// (the "FIFO" / sliding-window memory compared with reservoir sampling by Chaudhry et al. 2019, "On Tiny Episodic
/// Memories in Continual Learning"): with domains in sequence it ends up holding mostly the last domain.
/// </summary>
internal sealed class FifoBuffer(int capacity) : IReplayBuffer
{
    private readonly List<ReplayEntry> _ring = new(capacity);
    private int _oldest; // index in _ring of the oldest entry once the ring is full

    /// <inheritdoc />
    public long Seen { get; private set; }

    /// <inheritdoc />
    public int Count => _ring.Count;

    /// <summary>The held entries, oldest first.</summary>
    public IReadOnlyList<ReplayEntry> Items => [.. _ring.Skip(_oldest), .. _ring.Take(_oldest)];

    /// <inheritdoc />
    public long Bytes => _ring.Sum(e => e.Bytes);

    /// <summary>Always kept; when full, the oldest entry makes room.</summary>
    public bool Offer(ReplayEntry entry)
    {
        Seen++;
        if (_ring.Count < capacity) _ring.Add(entry);
        else
        {
            _ring[_oldest] = entry;
            _oldest = (_oldest + 1) % capacity;
        }
        return true;
    }

    /// <inheritdoc />
    public void Save(PluginState state)
    {
        ReplayEntries.Put(state, "buffer", _ring); // ring order, with the position of the oldest
        state.Values["buffer_oldest"] = _oldest;
        state.Values["buffer_seen"] = Seen;
    }

    /// <inheritdoc />
    public void Load(PluginState state)
    {
        _ring.Clear();
        _ring.AddRange(ReplayEntries.Get(state, "buffer"));
        _oldest = state.Value("buffer_oldest").GetValue<int>();
        Seen = state.Value("buffer_seen").GetValue<long>();
    }

    /// <inheritdoc />
    public IEnumerable<ReplayEntry> Sample(int count, StableRandom draw)
    {
        for (int i = 0; i < count; i++) yield return _ring[draw.Next(_ring.Count)];
    }
}
