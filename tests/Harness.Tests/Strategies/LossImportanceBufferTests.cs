using Harness.Strategies;
using Harness.Tests.Training;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

[Collection(TorchCollection.Name)]
public sealed class LossImportanceBufferTests
{
    /// <summary>Losses chosen by the test: a sample's loss is looked up by its second token.</summary>
    private sealed class FixedScorer(Func<int, double> lossOf) : IReplayScorer
    {
        public List<TrainingSample> AskedEntries { get; } = [];

        public IReadOnlyList<double> Losses(IReadOnlyList<TrainingSample> samples) =>
            samples.Select(s => lossOf(s.Tokens[1])).ToList();

        public IReadOnlyList<ReplayEntry> Entries(IReadOnlyList<TrainingSample> samples)
        {
            AskedEntries.AddRange(samples);
            return samples.Select(s => new ReplayEntry(s, [s.Tokens[1]])).ToList();
        }
    }

    private static TrainingSample Sample(int domain, int id) => new([domain, id], 1, domain);

    [Fact]
    public void OnStageEnd_OneDomain_KeepsExactlyTheTopLossSamples()
    {
        // Given 10 samples of domain 0 whose losses are a permutation: id i has loss (3 i mod 10) / 10
        var buffer = new LossImportanceBuffer(4);
        var scorer = new FixedScorer(id => (3 * id % 10) / 10.0);
        for (int i = 0; i < 10; i++) Assert.False(buffer.Offer(new ReplayEntry(Sample(0, i))));
        Assert.Equal(0, buffer.Count); // nothing is held before the stage ends

        // When the stage ends
        buffer.OnStageEnd(scorer);

        // Then the 4 highest losses (0.9, 0.8, 0.7, 0.6) belong to ids 3, 6, 9, 2, held in that order
        Assert.Equal([3, 6, 9, 2], buffer.Items.Select(e => e.Sample.Tokens[1]));
        // And entries were made only for the kept samples (that is when logits would be taken)
        Assert.Equal([3, 6, 9, 2], scorer.AskedEntries.Select(s => s.Tokens[1]));
        Assert.All(buffer.Items, e => Assert.Equal(e.Sample.Tokens[1], Assert.Single(e.Logits!)));
        Assert.Equal(10, buffer.Seen);
    }

    [Fact]
    public void OnStageEnd_SecondDomain_SplitsSharesAndKeepsTopLossOfEach()
    {
        // Given a buffer of 4 holding the top 4 of domain 0 (loss = id / 10: ids 9, 8, 7, 6)
        var buffer = new LossImportanceBuffer(4);
        for (int i = 0; i < 10; i++) buffer.Offer(new ReplayEntry(Sample(0, i)));
        buffer.OnStageEnd(new FixedScorer(id => id / 10.0));

        // When stage 2 offers 6 samples of domain 1 with loss = (id mod 3) + id / 100 (top two: ids 5 and 2)
        for (int i = 0; i < 6; i++) buffer.Offer(new ReplayEntry(Sample(1, i)));
        var scorer = new FixedScorer(id => id % 3 + id / 100.0);
        buffer.OnStageEnd(scorer);

        // Then each domain holds 2: domain 0 its two highest stored losses, domain 1 its two highest new ones
        Assert.Equal([(0, 9), (0, 8), (1, 5), (1, 2)], buffer.Items.Select(e => (e.Sample.Domain, e.Sample.Tokens[1])));
        Assert.Equal([5, 2], scorer.AskedEntries.Select(s => s.Tokens[1]));
    }

    [Fact]
    public void OnStageEnd_RealModel_KeepsTheSamplesWithTheHighestLossUnderTheModel()
    {
        // Given a tiny GPT trained a few steps on four pairs, so their losses differ
        using var tiny = new TinyTraining();
        tiny.Train(steps: 15);
        var expected = tiny.Samples.Select(OwnLoss(tiny)).ToList();
        Assert.Equal(4, expected.Distinct().Count());

        // When a buffer of 2 selects with the model's scorer (batches of 3, so the 4 samples span two batches)
        var scorer = new ModelReplayScorer(tiny.Model, CPU, batchSize: 3, storeLogits: true);
        var losses = scorer.Losses(tiny.Samples);
        var buffer = new LossImportanceBuffer(2);
        foreach (var sample in tiny.Samples) buffer.Offer(new ReplayEntry(sample));
        buffer.OnStageEnd(scorer);

        // Then each batched loss is the sample's own mean answer cross-entropy
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], losses[i], 5);
        // And the buffer kept the two highest of them, with their logits ([answer rows × vocabulary])
        var topTwo = Enumerable.Range(0, 4).OrderByDescending(i => expected[i]).Take(2).Select(i => tiny.Samples[i]);
        Assert.Equal(topTwo, buffer.Items.Select(e => e.Sample));
        Assert.All(buffer.Items, e => Assert.Equal(e.Sample.AnswerRowCount * tiny.Tokenizer.VocabSize, e.Logits!.Length));
        // And the model is back in training mode, as the step loop left it
        Assert.True(tiny.Model.training);
    }

    /// <summary>A sample's loss computed alone, as the training loss of a batch of one.</summary>
    private static Func<TrainingSample, double> OwnLoss(TinyTraining tiny) => sample =>
    {
        using var noGrad = no_grad();
        using var batch = new TrainingBatch([sample], CPU);
        using var hidden = tiny.Model.Hidden(batch.Inputs);
        using var logits = tiny.Model.Head(batch.AtAnswers(hidden));
        using var loss = batch.Loss(logits);
        return loss.item<float>();
    };
}
