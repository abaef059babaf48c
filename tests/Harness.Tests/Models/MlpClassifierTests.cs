using Harness.Benchmarks;
using Harness.Models;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class MlpClassifierTests
{
    [Fact]
    public void Forward_FlatImages_ReturnsOneLogitPerClass()
    {
        // Given a batch of 5 flattened 28×28 images
        torch.manual_seed(0);
        using var model = new MlpClassifier(784, [32, 16], 10);
        using var images = rand([5, 784]);

        // When
        using var logits = model.forward(images);

        // Then [B, classes]
        Assert.Equal([5L, 10L], logits.shape);
    }

    [Fact]
    public void Forward_ImagesWithChannelAxis_AreFlattened()
    {
        // Given [B, 1, 28, 28] images
        torch.manual_seed(0);
        using var model = new MlpClassifier(784, [32], 10);
        using var images = rand([4, 1, 28, 28]);

        // When
        using var logits = model.forward(images);

        // Then the same [B, classes]
        Assert.Equal([4L, 10L], logits.shape);
    }
    /// <summary>Four 2×2 images (random pixels) with targets 1, 3, 4, 5 in the heads [0, 2), [2, 4), [4, 6), [4, 6).</summary>
    private static (TrainingBatch Batch, ImageView View) HeadedBatch(bool heads = true)
    {
        torch.manual_seed(1);
        var pixels = rand(4, 4);
        var view = new ImageView(pixels, 2, 2);
        var rows = new (int Target, int Start, int End)[] { (1, 0, 2), (3, 2, 4), (4, 4, 6), (5, 4, 6) };
        var samples = rows.Select((r, i) => TrainingSample.FromImage(heads
            ? new ImageExample(view, i, r.Target, r.Start, r.End)
            : new ImageExample(view, i, r.Target), r.Start / 2)).ToList();
        return (new TrainingBatch(samples, CPU), view);
    }

    [Fact]
    public void AnswerLogits_TaskHeads_OutsideMaskedToMinus1e4_InsideEqualForward()
    {
        // Given a 6-output classifier and a batch whose rows each have a two-output head
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        using var model = new MlpClassifier(4, [5], 6);
        var (batch, view) = HeadedBatch();
        using var _ = view;
        using var __ = batch;

        // When
        var masked = model.AnswerLogits(batch).data<float>().ToArray();
        var full = model.forward(batch.Inputs).data<float>().ToArray();

        // Then inside the head the logit is the forward's, outside exactly -1e4
        int[] starts = [0, 2, 4, 4];
        for (int b = 0; b < 4; b++)
            for (int o = 0; o < 6; o++)
            {
                float expected = o >= starts[b] && o < starts[b] + 2 ? full[b * 6 + o] : -1e4f;
                Assert.Equal(expected, masked[b * 6 + o]);
            }
    }

    [Fact]
    public void AnswerLogits_TaskHeads_ArgmaxInsideEachHead()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        using var model = new MlpClassifier(4, [5], 6);
        // Push the logits of the first two outputs far up, so an unmasked argmax would pick one of them for every row
        using (no_grad()) model.parameters().Last()[TensorIndex.Slice(0, 2)].add_(100f);
        var (batch, view) = HeadedBatch();
        using var _ = view;
        using var __ = batch;

        var choices = model.AnswerLogits(batch).argmax(1).data<long>().ToArray();

        Assert.InRange(choices[0], 0, 1);
        Assert.InRange(choices[1], 2, 3);
        Assert.InRange(choices[2], 4, 5);
        Assert.InRange(choices[3], 4, 5);
        Assert.All(model.forward(batch.Inputs).argmax(1).data<long>().ToArray(), c => Assert.InRange(c, 0, 1));
    }

    [Fact]
    public void AnswerLogits_NoHeads_EqualsForward()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        using var model = new MlpClassifier(4, [5], 6);
        var (batch, view) = HeadedBatch(heads: false);
        using var _ = view;
        using var __ = batch;

        Assert.Null(batch.HeadStarts);
        Assert.Equal(model.forward(batch.Inputs).data<float>().ToArray(), model.AnswerLogits(batch).data<float>().ToArray());
    }

    [Fact]
    public void Loss_MaskedLogits_EqualsCrossEntropyOverEachHeadAlone()
    {
        // Given a batch with task heads (task-incremental learning as one masked output layer)
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        using var model = new MlpClassifier(4, [5], 6);
        var (batch, view) = HeadedBatch();
        using var _ = view;
        using var __ = batch;

        // When the loss is taken over the masked logits
        double masked = batch.Loss(model.AnswerLogits(batch)).item<float>();

        // Then it is the mean of each row's cross-entropy over its head's two logits only (separate heads)
        var full = model.forward(batch.Inputs);
        int[] starts = [0, 2, 4, 4];
        int[] targets = [1, 3, 4, 5];
        double sum = 0;
        for (int b = 0; b < 4; b++)
        {
            var head = full[b, TensorIndex.Slice(starts[b], starts[b] + 2)].unsqueeze(0); // [1, 2]
            sum += nn.functional.cross_entropy(head, tensor(new long[] { targets[b] - starts[b] })).item<float>();
        }
        Assert.Equal(sum / 4, masked, 5);
    }
}
