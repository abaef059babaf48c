using Harness.Data;
using Harness.Training;

namespace Harness.Tests.Training;

public sealed class EpochBatchesTests
{
    private static readonly TrainingSample[] Samples =
        Enumerable.Range(0, 10).Select(i => new TrainingSample([i], 0, 0)).ToArray();

    [Fact]
    public void At_KeepLast_EveryEpochTrainsEverySampleOnce()
    {
        // Given 10 samples in batches of 4, the last batch of each epoch smaller
        var batches = new EpochBatches(Samples, 4, new StableRandom(7), dropLast: false);

        // When two epochs are drawn
        var epochs = Enumerable.Range(0, 2)
            .Select(e => Enumerable.Range(0, batches.StepsPerEpoch).SelectMany(s => batches.At(e * batches.StepsPerEpoch + s)).ToList())
            .ToList();

        // Then 3 steps per epoch, each epoch a permutation of all samples, in a different order
        Assert.Equal(3, batches.StepsPerEpoch);
        Assert.All(epochs, epoch => Assert.Equal(Samples.OrderBy(s => s.Tokens[0]), epoch.OrderBy(s => s.Tokens[0])));
        Assert.NotEqual(epochs[0], epochs[1]);
    }

    [Fact]
    public void At_DropLast_OnlyFullBatches()
    {
        // Given 10 samples in batches of 4, incomplete batches dropped
        var batches = new EpochBatches(Samples, 4, new StableRandom(7), dropLast: true);

        // Then 2 steps per epoch of 4 distinct samples each
        Assert.Equal(2, batches.StepsPerEpoch);
        Assert.All(Enumerable.Range(0, 6), step => Assert.Equal(4, batches.At(step).Distinct().Count()));
    }
}
