using Harness.Data;
using Harness.Strategies;
using Harness.Training;

namespace Harness.Tests.Strategies;

public sealed class ReservoirBufferTests
{
    private const int Items = 1000, Capacity = 100, Trials = 2000, Bins = 10;

    /// <summary>Item i as a sample whose single token is i.</summary>
    private static readonly ReplayEntry[] Stream =
        Enumerable.Range(0, Items).Select(i => new ReplayEntry(new TrainingSample([i], 0, 0))).ToArray();

    /// <summary>The 0.999 quantile of χ² with 9 degrees of freedom (Bins − 1).</summary>
    private const double ChiSquareCritical9 = 27.877;

    [Fact]
    public void Offer_MoreThanCapacity_NeverHoldsMoreThanCapacity()
    {
        // Given a buffer of 100
        var buffer = new ReservoirBuffer(Capacity, new StableRandom(1));

        // When 1000 samples are offered, one by one
        for (int i = 0; i < Items; i++)
        {
            buffer.Offer(Stream[i]);

            // Then it fills up to capacity and stays there
            Assert.Equal(Math.Min(i + 1, Capacity), buffer.Count);
        }
        Assert.Equal(Items, buffer.Seen);
        Assert.Equal(Capacity, buffer.Items.Select(e => e.Sample.Tokens[0]).Distinct().Count());
    }

    [Fact]
    public void Offer_FewerThanCapacity_KeepsEverySampleInOrder()
    {
        // Given room for 100 and 30 offers
        var buffer = new ReservoirBuffer(Capacity, new StableRandom(1));
        foreach (var sample in Stream.Take(30)) buffer.Offer(sample);

        // Then all 30 are kept
        Assert.Equal(Enumerable.Range(0, 30), buffer.Items.Select(e => e.Sample.Tokens[0]));
        Assert.Equal(30 * sizeof(int), buffer.Bytes);
    }

    [Fact]
    public void Sample_FullBuffer_DrawsOnlyHeldSamples()
    {
        // Given a full buffer
        var buffer = new ReservoirBuffer(Capacity, new StableRandom(2));
        foreach (var sample in Stream) buffer.Offer(sample);
        var held = buffer.Items.ToHashSet();

        // When 500 samples are drawn with replacement
        var drawn = buffer.Sample(500, new StableRandom(3)).ToList();

        // Then
        Assert.Equal(500, drawn.Count);
        Assert.All(drawn, s => Assert.Contains(s, held));
    }

    [Fact]
    public void Offer_ManyTrials_KeepsEveryItemWithProbabilityCapacityOverSeen()
    {
        // Given 2000 independent buffers of 100, each offered the same 1000 items
        var counts = InclusionCounts(trial =>
        {
            var buffer = new ReservoirBuffer(Capacity, StableRandom.For(trial, "reservoir-uniformity"));
            foreach (var sample in Stream) buffer.Offer(sample);
            return buffer.Items.Select(e => e.Sample.Tokens[0]);
        });

        // Then item positions in the stream are kept uniformly: the 10 bins of 100 consecutive items pass a χ² test
        // at α = 0.001. Each trial keeps exactly 100 items, so a bin's count per trial is hypergeometric, whose variance
        // is below the multinomial's: the Pearson statistic is (conservatively) χ² with 9 degrees of freedom.
        double chiSquare = ChiSquareOverBins(counts);
        Assert.True(chiSquare < ChiSquareCritical9, $"χ² = {chiSquare:F1} ≥ {ChiSquareCritical9} (bins {string.Join(", ", BinCounts(counts))})");

        // And every single item's frequency is 0.1: its count is Binomial(2000, 0.1), mean 200, sd √180 ≈ 13.4;
        // 6 sd (±80) leaves a false alarm chance below 1e-5 over all 1000 items.
        double sd = Math.Sqrt(Trials * 0.1 * 0.9);
        Assert.All(Enumerable.Range(0, Items), i =>
            Assert.True(Math.Abs(counts[i] - Trials * 0.1) < 6 * sd, $"item {i} kept {counts[i]} times of {Trials}"));
    }

    [Fact]
    public void ChiSquareOverBins_FifoBuffer_ExceedsCriticalValue()
    {
        // Given a FIFO buffer (keeps the last 100 items) measured the same way
        var counts = InclusionCounts(_ => Enumerable.Range(Items - Capacity, Capacity));

        // Then the uniformity test above would reject it
        Assert.True(ChiSquareOverBins(counts) > ChiSquareCritical9);
    }

    private static int[] InclusionCounts(Func<int, IEnumerable<int>> keptInTrial)
    {
        var counts = new int[Items];
        for (int trial = 0; trial < Trials; trial++)
            foreach (int item in keptInTrial(trial)) counts[item]++;
        return counts;
    }

    private static int[] BinCounts(int[] counts) =>
        Enumerable.Range(0, Bins).Select(b => counts.Skip(b * Items / Bins).Take(Items / Bins).Sum()).ToArray();

    private static double ChiSquareOverBins(int[] counts)
    {
        double expected = (double)Trials * Capacity / Bins; // 20 000
        return BinCounts(counts).Sum(o => (o - expected) * (o - expected) / expected);
    }
}
