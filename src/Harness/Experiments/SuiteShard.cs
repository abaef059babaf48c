using System.Globalization;
using Harness.Config;

namespace Harness.Experiments;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (<c>--shard K/N</c>, K from 0): the part of a suite one of N
/// independent processes runs. A suite's (variant, seed) pairs are numbered 0, 1, 2, ... in plan order (variants as
/// the suite file lists them, after grid expansion; for each variant its seeds in order) and shard K runs every pair
/// whose number i has i mod N = K. N shards therefore cover the selected pairs exactly once, the assignment depends
/// only on the suite file and the selection options, and with N equal to the number of pairs shard K is pair K alone
/// (one run per Slurm array task).
/// </summary>
internal sealed record SuiteShard(int Index, int Count)
{
    /// <summary>Parses <c>K/N</c> with 0 ≤ K &lt; N; anything else is bad input naming the option.</summary>
    public static SuiteShard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count)
            return new SuiteShard(index, count);
        throw new HarnessInputException($"--shard {text}: expected K/N with 0 <= K < N (shard K of N, counted from 0), e.g. 0/4");
    }

    /// <summary>Whether pair number <paramref name="pairIndex"/> of the plan belongs to this shard.</summary>
    public bool Includes(int pairIndex) => pairIndex % Count == Index;

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}
