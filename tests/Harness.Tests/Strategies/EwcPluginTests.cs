using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Strategies;
using Harness.Tests.Cli;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

[Collection(TorchCollection.Name)]
public sealed class EwcPluginTests : IDisposable
{
    private static readonly DomainData[] Domains =
    [
        new("math", [new QaPair("1+1", "2")], [new QaPair("1+1", "2")], [], [new QaPair("1+1", "2")]),
        new("words", [new QaPair("stone", "enots")], [new QaPair("stone", "enots")], [], [new QaPair("stone", "enots")]),
        new("more", [new QaPair("a", "b")], [new QaPair("a", "b")], [], [new QaPair("a", "b")]),
    ];

    private static readonly TrainingSample[] Samples =
    [
        new([1, 10, 11, 2, 50, 51, 3], 4, 0),
        new([1, 12, 2, 52, 3], 3, 0),
        new([1, 13, 14, 15, 2, 53, 3], 5, 0),
    ];

    private readonly GptModel _model;
    private readonly long _parameterCount;

    public EwcPluginTests()
    {
        torch.manual_seed(0);
        _model = new GptModel(new ModelConfig { DModel = 16, Layers = 1, Heads = 2, Context = 8 }, 64);
        _parameterCount = _model.parameters().Sum(p => p.numel());
    }

    public void Dispose() => _model.Dispose();

    private StageContext Stage(int index) =>
        new(index, 3, new TrainingStage(Domains[index].Id, [index], Samples, 1), _model, CPU, 4, Domains.Select(d => d.Id).ToList());

    /// <summary>A Fisher of <paramref name="value"/> for every parameter (as if estimated).</summary>
    private Dictionary<string, Tensor> ConstantFisher(float value) =>
        _model.named_parameters().ToDictionary(p => p.name, p => full_like(p.parameter, value));

    private void Shift(double delta)
    {
        using var noGrad = no_grad();
        foreach (var p in _model.parameters()) p.add_(delta);
    }

    private static double Value(Tensor t)
    {
        using (t) return t.item<float>();
    }

    [Fact]
    public void Penalty_AtOptimum_IsZero()
    {
        // Given an anchor at the current weights with F = 1
        using var plugin = new EwcPlugin(new EwcStrategyConfig { Lambda = 100 }, 0);
        plugin.Consolidate(_model, ConstantFisher(1));

        // Then the penalty at θ* is 0
        Assert.Equal(0.0, Value(plugin.Penalty(_model)), 9);
    }

    [Fact]
    public void Penalty_KnownFisherAndDisplacement_MatchesHandValueAndGrowsQuadratically()
    {
        // Given F = 2 everywhere, λ = 10, and every weight moved by 0.1 from θ*
        using var plugin = new EwcPlugin(new EwcStrategyConfig { Lambda = 10 }, 0);
        plugin.Consolidate(_model, ConstantFisher(2));
        Shift(0.1);

        // When
        double once = Value(plugin.Penalty(_model));
        Shift(0.1); // now 0.2 away
        double twice = Value(plugin.Penalty(_model));

        // Then λ/2 · Σ F δ² = 5 · 2 · 0.01 per parameter, and doubling δ multiplies it by 4
        Assert.Equal(10 / 2.0 * 2 * 0.01 * _parameterCount, once, _parameterCount * 1e-5);
        Assert.Equal(4.0, twice / once, 3);
    }

    [Fact]
    public void Consolidate_OnlineTwoStages_KeepsOneRunningFisherDecayedByGamma()
    {
        // Given online EWC with γ = 0.5: F = 3 after stage 1, then the weights move by 0.3 and F = 5 after stage 2
        using var plugin = new EwcPlugin(new EwcStrategyConfig { Lambda = 2, Online = true, Gamma = 0.5 }, 0);
        plugin.Consolidate(_model, ConstantFisher(3));
        Shift(0.3);
        plugin.Consolidate(_model, ConstantFisher(5));

        // When the weights sit at the stage-2 optimum, and then 0.1 away from it
        double atLatest = Value(plugin.Penalty(_model));
        Shift(0.1);
        double away = Value(plugin.Penalty(_model));

        // Then one anchor, centred on the latest weights, with F = 0.5 · 3 + 5 = 6.5: λ/2 · 6.5 · 0.01 per parameter
        Assert.Equal(1, plugin.AnchorCount);
        Assert.Equal(0.0, atLatest, 9);
        Assert.Equal(2 / 2.0 * 6.5 * 0.01 * _parameterCount, away, _parameterCount * 1e-5);
    }

    [Fact]
    public void Consolidate_OfflineTwoStages_KeepsOnePenaltyPerStage()
    {
        // Given offline EWC: F = 3 at θ1, then F = 5 at θ2 = θ1 + 0.3
        using var plugin = new EwcPlugin(new EwcStrategyConfig { Lambda = 2 }, 0);
        plugin.Consolidate(_model, ConstantFisher(3));
        Shift(0.3);
        plugin.Consolidate(_model, ConstantFisher(5));

        // When the weights sit at θ2
        double penalty = Value(plugin.Penalty(_model));

        // Then two anchors, and only the first pulls: λ/2 · 3 · 0.3² per parameter
        Assert.Equal(2, plugin.AnchorCount);
        Assert.Equal(2 / 2.0 * 3 * 0.09 * _parameterCount, penalty, _parameterCount * 1e-5);
    }

    [Fact]
    public void EstimateFisher_TwoSamples_IsMeanOfSquaredPerSampleGradientsAndLeavesNoGradients()
    {
        // Given two samples, and a model in eval mode (as the estimate runs it)
        TrainingSample[] samples = [Samples[0], Samples[1]];
        _model.eval();

        // When
        var fisher = EwcPlugin.EstimateFisher(_model, samples, CPU);

        // Then each entry is the mean of the two squared gradients of log p(answer | prompt), computed here from
        // log_softmax and the answer tokens picked out by hand (positions AnswerStart-1 .. end-1 predict the answer)
        var gradients = new List<Dictionary<string, Tensor>>();
        foreach (var sample in samples)
        {
            _model.zero_grad();
            using var scope = NewDisposeScope();
            using var input = tensor(sample.Tokens[..^1].Select(t => (long)t).ToArray(), [1, sample.Tokens.Length - 1]);
            var logProbs = nn.functional.log_softmax(_model.forward(input), 2); // [1, T, V]
            var logLikelihood = zeros(1);
            for (int t = sample.AnswerStart - 1; t < sample.Tokens.Length - 1; t++)
                logLikelihood = logLikelihood + logProbs[0, t, sample.Tokens[t + 1]];
            logLikelihood.backward();
            gradients.Add(_model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone().DetachFromDisposeScope()));
        }
        _model.zero_grad();
        foreach (var (name, _) in _model.named_parameters())
        {
            using var scope = NewDisposeScope();
            var (g0, g1) = (gradients[0][name], gradients[1][name]);
            Assert.True(fisher[name].allclose((g0.square() + g1.square()) / 2, rtol: 1e-3, atol: 1e-9), name);
        }
        // And it is not the square of the mean gradient (what one batched backward pass would give)
        var head = _model.named_parameters().First(p => p.name.Contains("head")).name;
        using (NewDisposeScope())
        {
            var squaredMean = ((gradients[0][head] + gradients[1][head]) / 2).square();
            Assert.False(fisher[head].allclose(squaredMean, rtol: 1e-2));
            Assert.True(fisher[head].sum().item<float>() > 0);
        }
        // And the estimate left no gradients behind for the next optimiser step
        Assert.All(_model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        foreach (var t in fisher.Values.Concat(gradients.SelectMany(s => s.Values))) t.Dispose();
    }

    [Fact]
    public void ExtraLoss_InsideStepScopes_KeepsStoredTensorsAlive()
    {
        // Given stage 1 ended (Fisher and θ* stored) and stage 2 trains 3 steps with the penalty
        using var plugin = new EwcPlugin(new EwcStrategyConfig { Lambda = 1000 }, 0);
        plugin.OnStageEnd(Stage(0));
        var second = Stage(1);
        using var log = new RunLog(TextWriter.Null, interactive: false);
        new StepLoop(_model, CPU, log, new TrainingConfig { LogEvery = 3 })
            .Run("s", 3, 0.01, _ => Samples, (batch, logits) => plugin.ExtraLoss(second, batch, logits), _ => { });

        // Then the stored tensors survived the steps' dispose scopes, and the weights moved off θ*
        Assert.True(Value(plugin.Penalty(_model)) > 0);
    }

    [Fact]
    public void OnStageEnd_FisherSamplesCapAndLastStage_EstimatesThenReleases()
    {
        // Given fisher_samples 2 over a stage of 3 samples
        using var plugin = new EwcPlugin(new EwcStrategyConfig { Lambda = 50, FisherSamples = 2 }, 0);

        // When stages 1 and 2 end, then the last stage
        plugin.OnStageEnd(Stage(0));
        plugin.OnStageEnd(Stage(1));
        int anchorsBeforeLast = plugin.AnchorCount;
        plugin.OnStageEnd(Stage(2));

        // Then two estimates of 2 samples each were reported, and the anchors were released after the last stage
        Assert.Equal(2, anchorsBeforeLast);
        Assert.Equal(0, plugin.AnchorCount);
        var report = new JsonObject();
        plugin.Report(report);
        var ewc = report["ewc"]!;
        Assert.Equal(50.0, ewc["lambda"]!.GetValue<double>());
        Assert.False(ewc["online"]!.GetValue<bool>());
        Assert.Equal(2, ewc["fisher_estimates"]!.GetValue<int>());
        Assert.All(ewc["estimates"]!.AsArray(), e => Assert.Equal(2, e!["samples"]!.GetValue<int>()));
        Assert.All(ewc["estimates"]!.AsArray(), e => Assert.True(e!["fisher_max"]!.GetValue<double>() >= e["fisher_mean"]!.GetValue<double>()));
        Assert.True(ewc["estimates"]![0]!["fisher_mean"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void OnlineStageCycle_Repeated_LiveTensorCountStaysFlat()
    {
        // Given online EWC that has estimated one Fisher and trained 3 steps with its penalty
        using var plugin = new EwcPlugin(new EwcStrategyConfig { Lambda = 100, Online = true, Gamma = 0.9 }, 0);
        using var log = new RunLog(TextWriter.Null, interactive: false);
        var loop = new StepLoop(_model, CPU, log, new TrainingConfig { LogEvery = 3 });
        void Cycle()
        {
            var context = Stage(1);
            plugin.OnStageEnd(Stage(0));
            loop.Run("s", 3, 0.01, _ => Samples, (batch, logits) => plugin.ExtraLoss(context, batch, logits), _ => { });
        }
        Cycle();
        long live = torch.Tensor.TotalCount;

        // When two more Fisher estimates are folded in and trained with
        Cycle();
        Cycle();

        // Then the running anchor is all that is kept: no per-sample gradient, Fisher or θ* copy leaked
        long growth = torch.Tensor.TotalCount - live;
        Assert.True(growth <= 2, $"{growth} more live tensors after two more online stages");
        Assert.Equal(1, plugin.AnchorCount);
    }

    [Fact]
    public void Run_TinyConfigWithEwc_ReportsFisher()
    {
        // Given the tiny two-domain config with online EWC
        using var dir = new TempDirectory();
        var path = TinyConfig.WriteTo(dir, yaml: TinyConfig.Yaml(name: "tiny-ewc",
            strategies: "  - {type: ewc, lambda: 500, online: true, gamma: 0.9, fisher_samples: 16}"));

        // When it runs
        var run = CliResult.Run(path, "--out", dir.File("out"), "--cache-dir", dir.File("cache"), "--device", "cpu");

        // Then it finishes and metrics.json reports one Fisher estimate (after math; words is the last stage)
        Assert.True(run.ExitCode == 0, run.ToString());
        var ewc = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "metrics.json")))!["strategy_report"]!["ewc"]!;
        Assert.Equal(500.0, ewc["lambda"]!.GetValue<double>());
        Assert.True(ewc["online"]!.GetValue<bool>());
        Assert.Equal(0.9, ewc["gamma"]!.GetValue<double>());
        Assert.Equal(1, ewc["fisher_estimates"]!.GetValue<int>());
        Assert.Equal(16, ewc["estimates"]![0]!["samples"]!.GetValue<int>());
        Assert.True(ewc["estimates"]![0]!["fisher_mean"]!.GetValue<double>() > 0);
    }
}
