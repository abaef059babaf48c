using Harness.Bench;
using Harness.Data;
using static TorchSharp.torch;

namespace Harness.Tests.Bench;

/// <summary>
/// The bench's workloads measure what they claim: the bare loop and the trainer train the same batches, replay keeps
/// the batch size, and both decoders decode every default test prompt.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GptBenchTests
{
    private static string Configs => Path.Combine(DataPaths.Repository()!, "configs");

    [Fact]
    public void BareLoopAndTrainer_TrainTheSameBatches_ReplayAtTheSameBatchSize()
    {
        // Given the GPT workloads with a timed stage of one epoch (300 poetry pairs, batch 64: 5 steps)
        using var bench = GptBench.Prepare(Configs, epochs: 1, CPU);
        // When the bare loop, the naive trainer and the replay trainer each run once
        var bare = bench.Bare();
        var naive = bench.Train("naive");
        var replay = bench.Train("replay");
        // Then bare and naive did the same 5 steps over the same tokens (the recorded batches of the naive stage)
        Assert.Equal(5, bench.Recorded.Count);
        Assert.Equal((5, naive.Units), (bare.Steps, bare.Units));
        Assert.Equal(5, naive.Steps);
        Assert.All(bench.Recorded.SkipLast(1), b => Assert.Equal(64, b.Count));
        // ... and replay filled a quarter of each batch of 64 from its buffer: 48 new a step, so 7 steps for 300 pairs
        Assert.Equal(7, replay.Steps);
        Assert.All(new[] { bare, naive, replay }, s => Assert.True(s.Seconds > 0));
    }

    [Fact]
    public void Decode_BothWays_DecodeEveryDefaultTestPromptToTheSameAnswers()
    {
        using var bench = GptBench.Prepare(Configs, epochs: 1, CPU);
        // The default test sets: 100 questions in each of math, poetry and history
        Assert.Equal([100, 100, 100], bench.TestSamples.Select(d => d.Count));
        var cached = bench.Answers(cached: true);
        var recomputed = bench.Answers(cached: false);
        // Both ways answer every prompt, the same; the fresh model rarely says EOS, so answers run long
        Assert.Equal(300, cached.Count);
        Assert.Equal(recomputed, cached);
        Assert.True(cached.Sum(a => a.Length) > 300, $"{cached.Sum(a => a.Length)} tokens decoded");
        Assert.Equal(300, bench.Decode(cached: true).Units);
    }

    [Fact]
    public void MlpBench_BareLoopAndTrainer_TrainTheSameImages()
    {
        // Given the Split MNIST workload on the committed fixture, 5 tasks of at most 256 images, one epoch
        using var bench = MlpBench.Prepare(Configs, DataPaths.MnistFixture, trainSize: 256, epochs: 1, CPU);
        var trained = bench.Train();
        var bare = bench.Bare();
        // Then both saw every recorded batch and the same number of images, at most 128 a batch
        Assert.Equal(bench.Recorded.Count, trained.Steps);
        Assert.Equal((trained.Steps, trained.Units), (bare.Steps, bare.Units));
        Assert.Equal(bench.Recorded.Sum(b => b.Count), bare.Units);
        Assert.All(bench.Recorded, b => Assert.InRange(b.Count, 1, 128));
        Assert.True(bench.Recorded.Count >= 5); // at least one batch a task
    }
}
