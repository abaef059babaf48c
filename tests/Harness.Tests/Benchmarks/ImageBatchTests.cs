using Harness.Benchmarks;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Tests.Benchmarks;

/// <summary>Collating image samples into a batch: pixels through each sample's view, in batch order, with heads.</summary>
[Collection(TorchCollection.Name)]
public sealed class ImageBatchTests
{
    [Fact]
    public void Constructor_SamplesFromTwoViewsInterleaved_RowsInBatchOrder()
    {
        // Given five 2×2 images seen plainly (task 0) and through a permutation (task 1, a replayed mix)
        using var scope = NewDisposeScope();
        var pixels = arange(20, dtype: ScalarType.Float32).view(5, 4);
        using var plain = new ImageView(pixels, 2, 2);
        using var permuted = new ImageView(pixels, 2, 2, permutation: [3, 2, 1, 0]);
        var samples = new (ImageView View, int Row, int Target)[] { (permuted, 1, 7), (plain, 0, 1), (permuted, 4, 8), (plain, 3, 2), (plain, 4, 3) }
            .Select(s => TrainingSample.FromImage(new ImageExample(s.View, s.Row, s.Target), s.View == plain ? 0 : 1))
            .ToList();

        // When collated
        using var batch = new TrainingBatch(samples, CPU);

        // Then each row is that sample gathered alone through its own view
        Assert.Equal([5L, 4L], batch.Inputs.shape);
        for (int b = 0; b < samples.Count; b++)
        {
            var image = samples[b].Image!;
            var alone = image.View.Gather(tensor(new long[] { image.Row })).squeeze(0);
            Assert.Equal(alone.data<float>().ToArray(), batch.Inputs[b].data<float>().ToArray());
        }
        // Spelled out for row 0: image 1 is 4..7, reversed by the permutation
        Assert.Equal(new float[] { 7, 6, 5, 4 }, batch.Inputs[0].data<float>().ToArray());
        Assert.Equal(new long[] { 7, 1, 8, 2, 3 }, batch.AnswerTargets.data<long>().ToArray());
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, batch.AnswerPositions.data<long>().ToArray());
        Assert.Equal(5, batch.TokenCount);
        // And without heads every output is allowed
        Assert.Null(batch.HeadStarts);
        Assert.Null(batch.HeadEnds);
    }

    [Fact]
    public void Constructor_MixOfHeadAndNoHead_NoHeadRowAllowsEveryOutput()
    {
        using var scope = NewDisposeScope();
        var pixels = zeros(2, 4);
        using var view = new ImageView(pixels, 2, 2);
        var samples = new[]
        {
            TrainingSample.FromImage(new ImageExample(view, 0, 3, 2, 4), 1),
            TrainingSample.FromImage(new ImageExample(view, 1, 5), 2),
        };

        using var batch = new TrainingBatch(samples, CPU);

        Assert.Equal(new long[] { 2, 0 }, batch.HeadStarts!.data<long>().ToArray());
        Assert.Equal(new long[] { 4, long.MaxValue }, batch.HeadEnds!.data<long>().ToArray());
    }
}
