using Harness.Data;
using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// A bounded memory holding a uniform random sample of every sample offered to it: Vitter's algorithm R
/// (Vitter 1985, "Random Sampling with a Reservoir"). After n offers each offered sample is kept with probability
/// capacity / n. Samples are kept as token ids, never as tensors.
/// </summary>
internal sealed class ReservoirBuffer(int capacity, StableRandom random)
{
    private readonly List<TrainingSample> _items = new(capacity);

    /// <summary>Samples offered so far.</summary>
    public long Seen { get; private set; }

    /// <summary>Samples held now (≤ capacity).</summary>
    public int Count => _items.Count;

    /// <summary>The held samples.</summary>
    public IReadOnlyList<TrainingSample> Items => _items;

    /// <summary>Offers one sample: kept outright while there is room, else it replaces a random slot with probability capacity / seen.</summary>
    public void Offer(TrainingSample sample)
    {
        Seen++;
        if (_items.Count < capacity) _items.Add(sample);
        else
        {
            long slot = random.NextLong(Seen);
            if (slot < capacity) _items[(int)slot] = sample;
        }
    }

    /// <summary><paramref name="count"/> samples drawn uniformly with replacement.</summary>
    public IEnumerable<TrainingSample> Sample(int count, StableRandom draw)
    {
        for (int i = 0; i < count; i++) yield return _items[draw.Next(_items.Count)];
    }

    /// <summary>Bytes of token ids held (4 per id).</summary>
    public long Bytes => _items.Sum(s => (long)s.Tokens.Length * sizeof(int));
}
