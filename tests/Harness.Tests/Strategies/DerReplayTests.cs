using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Strategies;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

/// <summary>DER++ (Buzzega et al. 2020) through <see cref="ReplayPlugin"/> with <c>store_logits</c>.</summary>
[Collection(TorchCollection.Name)]
public sealed class DerReplayTests
{
    private static readonly DomainData[] Domains =
    [
        new("math", [new QaPair("1+1", "2")], [new QaPair("1+1", "2")], [], [new QaPair("1+1", "2")]),
        new("words", [new QaPair("stone", "enots")], [new QaPair("stone", "enots")], [], [new QaPair("stone", "enots")]),
    ];

    /// <summary>[BOS] p [SEP] a [EOS] with the answer from position 3: two answer rows each.</summary>
    private static TrainingSample Sample(int domain, int token) => new([1, token, 2, 40 + token, 3], 3, domain);

    private static StageContext Stage(int index, GptModel? model, IReadOnlyList<TrainingSample> samples) =>
        new(index, 2, new TrainingStage(Domains[index].Id, [index], samples, 1), model!, CPU, 4, Domains.Select(d => d.Id).ToList());

    /// <summary>One step as the Trainer runs it; returns the plugin's extra loss for <paramref name="logits"/>.</summary>
    private static Tensor? Step(ReplayPlugin plugin, StageContext stage, IReadOnlyList<TrainingSample> newSamples,
        Func<TrainingBatch, Tensor> logits)
    {
        var samples = newSamples.ToList();
        plugin.ComposeBatch(stage, samples);
        using var batch = new TrainingBatch(samples, CPU);
        var extra = plugin.ExtraLoss(stage, batch, logits(batch));
        plugin.OnStepEnd(stage, newSamples);
        return extra;
    }

    private static Func<TrainingBatch, Tensor> Fixed(float[,] rows) => _ => tensor(rows);

    [Fact]
    public void ExtraLoss_ChangedLogits_IsWeightTimesHandComputedMse()
    {
        // Given DER++ with a FIFO of 1, one replayed sample per batch and logit_weight 0.5
        var config = new ReplayStrategyConfig
        {
            BufferSize = 1, Selection = "fifo", ReplayBatchSize = 1, StoreLogits = true, LogitWeight = 0.5,
        };
        var plugin = new ReplayPlugin(config, 0);
        TrainingSample s0 = Sample(0, 10), s1 = Sample(0, 11), w0 = Sample(1, 12);

        // And stage 1 trains [s0, s1] with answer logits (V = 3) whose rows 2-3 are s1's; the ring keeps s1
        var first = Stage(0, null, [s0, s1]);
        plugin.OnStageStart(first);
        Assert.Null(Step(plugin, first, [s0, s1], Fixed(new float[,] { { 9, 9, 9 }, { 9, 9, 9 }, { 0, 0, 0 }, { 1, 1, 1 } })));
        plugin.OnStageEnd(first);

        // When stage 2 trains w0 plus the replayed s1, whose current rows are [1, 2, 4] and [4, 5, 8]
        var second = Stage(1, null, [w0]);
        plugin.OnStageStart(second);
        var extra = Step(plugin, second, [w0], Fixed(new float[,] { { 7, 7, 7 }, { 7, 7, 7 }, { 1, 2, 4 }, { 4, 5, 8 } }));

        // Then the term is 0.5 · mean of the 6 squared differences: (1 + 4 + 16 + 9 + 16 + 49) / 6 = 95 / 6
        Assert.NotNull(extra);
        Assert.Equal(0.5 * 95.0 / 6.0, extra.item<float>(), 5);

        // And the report counts the stored logits in the buffer's bytes: 2 rows × 3 floats, plus 5 token ids
        var report = new JsonObject();
        plugin.Report(report);
        Assert.Equal(2 * 3 * sizeof(float), report["replay"]!["logit_bytes"]!.GetValue<long>());
        Assert.Equal(5 * sizeof(int) + 2 * 3 * sizeof(float), report["replay"]!["buffer_bytes"]!.GetValue<long>());
        Assert.True(report["replay"]!["store_logits"]!.GetValue<bool>());
    }

    [Fact]
    public void ExtraLoss_UnchangedModel_IsZeroAndGrowsOnceTheModelChanges()
    {
        // Given a tiny GPT and DER++ replaying 2 samples per batch from a reservoir of 4
        torch.manual_seed(0);
        using var model = new GptModel(new ModelConfig { DModel = 16, Layers = 1, Heads = 2, Context = 8 }, 64);
        var plugin = new ReplayPlugin(new ReplayStrategyConfig { BufferSize = 4, ReplayBatchSize = 2, StoreLogits = true, LogitWeight = 1 }, 0);
        var math = Enumerable.Range(0, 4).Select(i => Sample(0, 10 + i)).ToList();
        var words = Enumerable.Range(0, 2).Select(i => Sample(1, 20 + i)).ToList();
        Tensor Forward(TrainingBatch batch) => model.Head(batch.AtAnswers(model.Hidden(batch.Inputs)));

        // And stage 1 stored the model's logits of the four math samples
        var first = Stage(0, model, math);
        plugin.OnStageStart(first);
        using (no_grad()) Step(plugin, first, math, Forward);
        plugin.OnStageEnd(first);
        var second = Stage(1, model, words);
        plugin.OnStageStart(second);

        // When stage 2 computes the term with the same weights, in a different batch (other samples, other padding)
        double unchanged;
        using (no_grad()) unchanged = Step(plugin, second, words, Forward)!.item<float>();

        // And again after the output head's weights doubled (so every logit doubles)
        using (no_grad()) model.named_parameters().Single(p => p.name == "head.weight").parameter.mul_(2);
        double changed;
        using (no_grad()) changed = Step(plugin, second, words, Forward)!.item<float>();

        // Then
        Assert.Equal(0.0, unchanged, 10);
        Assert.True(changed > 1e-4, $"MSE after a change is {changed}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RefreshLogits_StoresTheTrainedModelsLogitsAtTheStageEnd(bool refresh)
    {
        // Given DER++ over a reservoir of 4 that stored the math samples' logits at their first step
        torch.manual_seed(0);
        using var model = new GptModel(new ModelConfig { DModel = 16, Layers = 1, Heads = 2, Context = 8 }, 64);
        var plugin = new ReplayPlugin(new ReplayStrategyConfig
        {
            BufferSize = 4, ReplayBatchSize = 2, StoreLogits = true, LogitWeight = 1, RefreshLogits = refresh,
        }, 0);
        var math = Enumerable.Range(0, 4).Select(i => Sample(0, 10 + i)).ToList();
        Tensor Forward(TrainingBatch batch) => model.Head(batch.AtAnswers(model.Hidden(batch.Inputs)));
        var first = Stage(0, model, math);
        plugin.OnStageStart(first);
        using (no_grad()) Step(plugin, first, math, Forward);

        // When the model changes later in the stage (here: the head doubles) and the stage ends
        using (no_grad()) model.named_parameters().Single(p => p.name == "head.weight").parameter.mul_(2);
        plugin.OnStageEnd(first);
        var second = Stage(1, model, [Sample(1, 20)]);
        plugin.OnStageStart(second);
        double term;
        using (no_grad()) term = Step(plugin, second, [Sample(1, 20)], Forward)!.item<float>();

        // Then with refresh_logits the stored logits are the changed model's (term 0); without, the first step's
        if (refresh) Assert.Equal(0.0, term, 10);
        else Assert.True(term > 1e-4, $"MSE against first-step logits is {term}");
    }
}
