namespace Harness.Data;

/// <summary>
/// Seeded randomness that is the same on every machine and .NET version (System.Random with a seed is not
/// guaranteed to stay so across versions, and string.GetHashCode is randomised per process): splitmix64.
/// </summary>
internal sealed class StableRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The generator's whole state: a checkpoint stores it, and setting it back resumes the same sequence.</summary>
    public ulong State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>A generator whose seed mixes a run seed with a stable label (e.g. a domain id).</summary>
    public static StableRandom For(int seed, string label)
    {
        ulong h = 14695981039346656037UL; // FNV-1a
        foreach (char c in label) { h ^= c; h *= 1099511628211UL; }
        return new StableRandom(h ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        return (int)(NextUInt64() % (ulong)maxExclusive); // bias < 2^-32 for our sizes
    }

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>) for counts beyond int.</summary>
    public long NextLong(long maxExclusive) => (long)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
