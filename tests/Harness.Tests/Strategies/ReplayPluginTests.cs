using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Strategies;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

[Collection(TorchCollection.Name)]
public sealed class ReplayPluginTests : IDisposable
{
    private static readonly DomainData[] Domains =
    [
        new("math", [new QaPair("1+1", "2")], [new QaPair("1+1", "2")], [], [new QaPair("1+1", "2")]),
        new("words", [new QaPair("stone", "enots")], [new QaPair("stone", "enots")], [], [new QaPair("stone", "enots")]),
    ];

    private static readonly TrainingSample[] MathSamples =
        Enumerable.Range(0, 20).Select(i => new TrainingSample([1, 10 + i, 2, 50, 3], 3, 0)).ToArray();

    private readonly GptModel _model;

    public ReplayPluginTests()
    {
        torch.manual_seed(0);
        _model = new GptModel(new ModelConfig { DModel = 8, Layers = 1, Heads = 1, Context = 8 }, 64);
    }

    public void Dispose() => _model.Dispose();

    private StageContext Stage(int index, int batchSize) =>
        new(index, 2, new TrainingStage(Domains[index].Id, [index], MathSamples, 1), _model, CPU, batchSize, Domains.Select(d => d.Id).ToList());

    /// <summary>A replay plugin that has trained stage 1 on the 20 math samples.</summary>
    private static ReplayPlugin AfterFirstStage(ReplayPlugin plugin, StageContext first)
    {
        plugin.OnStageStart(first);
        foreach (var chunk in MathSamples.Chunk(4)) plugin.OnStepEnd(first, chunk);
        ((IStrategyPlugin)plugin).OnStageEnd(first); // a default (no-op) hook, called as the Trainer does
        return plugin;
    }

    [Fact]
    public void OnStepEnd_SameSamplesInALaterEpoch_AreOfferedOnlyOnce()
    {
        // Given stage 1 trained one epoch over the 20 math samples
        var first = Stage(0, 8);
        var plugin = AfterFirstStage(new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, ReplayRatio = 0.25 }, 0), first);

        // When a second epoch shows the same samples again
        foreach (var chunk in MathSamples.Chunk(4)) plugin.OnStepEnd(first, chunk);

        // Then the reservoir has seen 20 samples, not 40, so it cannot hold copies of one sample
        var report = new JsonObject();
        plugin.Report(report);
        Assert.Equal(20, report["replay"]!["samples_seen"]!.GetValue<long>());
    }

    [Fact]
    public void ReservedSlots_FirstStage_IsZero()
    {
        // Given an empty buffer at stage 1
        var plugin = new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, ReplayRatio = 0.25 }, seed: 0);
        var first = Stage(0, 8);

        // When
        plugin.OnStageStart(first);

        // Then stage 1 trains like naive
        Assert.Equal(0, plugin.ReservedSlots(first));
        var batch = new List<TrainingSample>();
        plugin.ComposeBatch(first, batch);
        Assert.Empty(batch);
    }

    [Fact]
    public void ComposeBatch_SecondStage_AddsReplayRatioOfTheBatchFromTheBuffer()
    {
        // Given a buffer of 8 filled in stage 1, and stage 2 with batch 8 at ratio 0.25
        var plugin = AfterFirstStage(new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, ReplayRatio = 0.25 }, 0), Stage(0, 8));
        var second = Stage(1, 8);
        plugin.OnStageStart(second);

        // When
        var batch = new List<TrainingSample>();
        plugin.ComposeBatch(second, batch);

        // Then 2 of 8 slots are replayed stage-1 samples
        Assert.Equal(2, plugin.ReservedSlots(second));
        Assert.Equal(2, batch.Count);
        Assert.All(batch, s => Assert.Contains(s, MathSamples));
    }

    [Fact]
    public void UpdateStageEnd_BufferReceivesAStagesSamplesOnlyWhenItEnds()
    {
        // Given replay with update: stage_end, during stage 1 over the 20 math samples
        var plugin = new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, Selection = "balanced", Update = "stage_end" }, 0);
        var first = Stage(0, 8);
        plugin.OnStageStart(first);
        foreach (var chunk in MathSamples.Chunk(4)) plugin.OnStepEnd(first, chunk);
        var during = new JsonObject();
        plugin.Report(during);

        // When the stage ends
        plugin.OnStageEnd(first);
        var after = new JsonObject();
        plugin.Report(after);

        // Then nothing was stored while it trained; then 8 of its 20 samples, all offered
        Assert.Equal(0, during["replay"]!["buffer_count"]!.GetValue<int>());
        Assert.Equal(8, after["replay"]!["buffer_count"]!.GetValue<int>());
        Assert.Equal(20, after["replay"]!["samples_seen"]!.GetValue<long>());
    }

    [Fact]
    public void UpdateStageEnd_ALaterStageReplaysOnlyEarlierStages()
    {
        // Given stage 1 stored at its end, and stage 2 training new samples of domain 1
        var plugin = new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, Selection = "balanced", Update = "stage_end", ReplayRatio = 0.5 }, 0);
        var first = Stage(0, 8);
        plugin.OnStageStart(first);
        foreach (var chunk in MathSamples.Chunk(4)) plugin.OnStepEnd(first, chunk);
        plugin.OnStageEnd(first);
        var second = Stage(1, 8);
        plugin.OnStageStart(second);
        var words = Enumerable.Range(0, 8).Select(i => new TrainingSample([1, 30 + i, 2, 51, 3], 3, 1)).ToArray();

        // When stage 2 steps through its samples and composes batches
        var replayed = new List<TrainingSample>();
        foreach (var chunk in words.Chunk(4))
        {
            var batch = new List<TrainingSample>();
            plugin.ComposeBatch(second, batch);
            replayed.AddRange(batch);
            plugin.OnStepEnd(second, chunk);
        }

        // Then every replayed sample is from stage 1
        Assert.Equal(8, replayed.Count);
        Assert.All(replayed, s => Assert.Equal(0, s.Domain));
    }

    [Fact]
    public void Proportional_ReplaysTheBuffersShareOfBufferPlusStageData()
    {
        // Given a full buffer of 8 and a stage of 20 samples, batch 14
        var plugin = AfterFirstStage(new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, Proportional = true }, 0), Stage(0, 14));
        var second = Stage(1, 14);

        // When
        plugin.OnStageStart(second);

        // Then 14 · 8 / (8 + 20) = 4 slots, as if the memory were appended to the stage's 20 samples
        Assert.Equal(4, plugin.ReservedSlots(second));
    }

    [Fact]
    public void Report_AfterFirstStage_DescribesTheBuffer()
    {
        // Given 20 samples of 5 tokens offered to a buffer of 8
        var plugin = AfterFirstStage(new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8 }, 0), Stage(0, 8));

        // When
        var report = new JsonObject();
        plugin.Report(report);

        // Then
        var replay = report["replay"]!;
        Assert.Equal(8, replay["buffer_count"]!.GetValue<int>());
        Assert.Equal(8 * 5 * sizeof(int), replay["buffer_bytes"]!.GetValue<long>());
        Assert.Equal(20, replay["samples_seen"]!.GetValue<long>());
        Assert.Equal(8, replay["per_domain"]!["math"]!.GetValue<int>());
    }

    [Fact]
    public void ReservedSlots_ReplayRatioZero_IsZero()
    {
        // Given replay_ratio 0 and a filled buffer
        var plugin = AfterFirstStage(new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, ReplayRatio = 0 }, 0), Stage(0, 8));
        var second = Stage(1, 8);

        // When
        plugin.OnStageStart(second);

        // Then no slot is taken from the new data
        Assert.Equal(0, plugin.ReservedSlots(second));
    }

    [Fact]
    public void ComposeBatch_ReplayBatchSize_AddsExactlyThatManyEveryStep()
    {
        // Given replay_batch_size 3 with batch 8, after stage 1
        var plugin = AfterFirstStage(new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, ReplayBatchSize = 3 }, 0), Stage(0, 8));
        var second = Stage(1, 8);
        plugin.OnStageStart(second);

        // When five batches of 5 new samples are composed
        for (int step = 0; step < 5; step++)
        {
            var batch = MathSamples.Take(5).ToList();
            plugin.ComposeBatch(second, batch);

            // Then each gets exactly 3 replayed samples after the new ones
            Assert.Equal(8, batch.Count);
            Assert.Equal(MathSamples.Take(5), batch.Take(5));
        }
        Assert.Equal(3, plugin.ReservedSlots(second));
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("balanced")]
    [InlineData("reservoir")]
    public void Report_StreamSelections_FillTheBufferDuringTheStage(string selection)
    {
        // Given 20 samples offered to a buffer of 8 by each stream policy
        var plugin = AfterFirstStage(new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 8, Selection = selection }, 0), Stage(0, 8));

        // When
        var report = new JsonObject();
        plugin.Report(report);

        // Then
        Assert.Equal(selection, report["replay"]!["selection"]!.GetValue<string>());
        Assert.Equal(8, report["replay"]!["buffer_count"]!.GetValue<int>());
        Assert.Equal(0, report["replay"]!["logit_bytes"]!.GetValue<long>());
    }
}
