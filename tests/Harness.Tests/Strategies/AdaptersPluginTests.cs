using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Strategies;
using Harness.Tokenizers;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

/// <summary>Adapter strategies through the real <see cref="Trainer"/>, on two tiny char-level domains.</summary>
[Collection(TorchCollection.Name)]
public sealed class AdaptersPluginTests
{
    private static readonly DomainData[] Domains =
    [
        Domain("sum", [("1+2", "3"), ("2+2", "4"), ("3+1", "4"), ("2+5", "7")]),
        Domain("rev", [("ab", "ba"), ("abc", "cba"), ("ca", "ac"), ("bca", "acb")]),
    ];

    private static DomainData Domain(string id, (string, string)[] pairs)
    {
        var qa = pairs.Select(p => new QaPair(p.Item1, p.Item2)).ToList();
        return new DomainData(id, qa, qa, [], qa);
    }

    private static ExperimentConfig Config(StrategyConfig strategy, int epochs) => new()
    {
        Name = "adapters-test",
        Model = new ModelConfig { DModel = 32, Layers = 1, Heads = 2, Context = 16 },
        Curriculum = Domains.Select(d => new DomainConfig { Id = d.Id, Source = "math", Keywords = d.Id == "sum" ? ["+"] : ["a"] }).ToList(),
        Training = new TrainingConfig { BatchSize = 4, Epochs = epochs, Lr = 0.01, LogEvery = 1000 },
        Evaluation = new EvaluationConfig { BatchSize = 8 },
        Strategies = [strategy],
    };

    /// <summary>Trains both domains with <paramref name="strategy"/>; returns the result and the base's weights before and after.</summary>
    private static (TrainingResult Result, Dictionary<string, float[]> Before, Dictionary<string, float[]> After) Train(StrategyConfig strategy, int epochs = 60)
    {
        var config = Config(strategy, epochs);
        var tokenizer = CharTokenizer.Build(Domains.SelectMany(d => d.Pool).SelectMany(p => new[] { p.Prompt, p.Answer }));
        var samples = Domains.Select((d, i) => (IReadOnlyList<TrainingSample>)d.Train
            .Select(p => TrainingSample.FromPair(p, i, tokenizer, 16, d.Id)).ToList()).ToList();
        torch.manual_seed(0);
        using var model = new GptModel(config.Model, tokenizer.VocabSize);
        var before = Weights(model);
        var plugins = StrategyFactory.Create(config, tokenizer);
        using var log = new RunLog(TextWriter.Null, interactive: false);
        var evaluator = new Evaluator(tokenizer, CPU, 8, tokenAccuracy: true);
        var curriculum = new CurriculumSamples(Domains.Select(d => d.Id).ToList(), samples, Domains.Select(_ => epochs).ToList());
        var result = new Trainer(model, CPU, plugins, new TextEvaluation(evaluator, Domains, plugins), log, config).Run(curriculum);
        plugins.DisposeAll();
        return (result, before, Weights(model));
    }

    private static Dictionary<string, float[]> Weights(GptModel model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());

    [Fact]
    public void OracleAdapters_KeepTheBaseBitIdentical_AndForgetNothing()
    {
        // When two domains train, each in its own adapter, with oracle routing
        var (result, before, after) = Train(new AdaptersStrategyConfig { Rank = 4, Alpha = 8, Targets = ["q", "v", "mlp_up"] });
        // Then every base tensor is bit-identical
        Assert.Equal(before.Keys, after.Keys);
        foreach (var key in before.Keys) Assert.Equal(before[key], after[key]);
        // And the first domain was learned and its scores after stage 2 are exactly those after stage 1 (no forgetting)
        var exact = result.ExactMatch;
        Assert.True(exact[1, 0] >= 0.75, $"sum learned to {exact[1, 0]}");
        Assert.True(exact[2, 1] >= 0.75, $"rev learned to {exact[2, 1]}");
        Assert.Equal(exact[1, 0], exact[2, 0]);
        Assert.Equal(result.TokenAccuracy![1, 0], result.TokenAccuracy[2, 0]);
        // And oracle routing is always right once the domain has an adapter
        Assert.Equal(1.0, result.RouterAccuracy![2, 0]);
        Assert.Equal(1.0, result.RouterAccuracy[2, 1]);
        Assert.Equal(0.0, result.RouterAccuracy[0, 0]); // before training nothing has an adapter: the base answers
    }

    [Fact]
    public void Isolation_TrainsTheSharedAdapterEveryStage_AndKeepsTheBase()
    {
        // When two domains train with a shared adapter on the MLP and per-domain adapters on attention
        var (result, before, after) = Train(new IsolationStrategyConfig
        {
            SharedRank = 4, SharedTargets = ["k"], Rank = 4, DomainTargets = ["q", "v", "mlp_up"], Alpha = 8,
        }, epochs: 150);
        // Then the base is untouched and both domains were learned at their stage
        foreach (var key in before.Keys) Assert.Equal(before[key], after[key]);
        Assert.True(result.ExactMatch[1, 0] >= 0.75, $"sum learned to {result.ExactMatch[1, 0]}");
        Assert.True(result.ExactMatch[2, 1] >= 0.75, $"rev learned to {result.ExactMatch[2, 1]}");
    }
}
