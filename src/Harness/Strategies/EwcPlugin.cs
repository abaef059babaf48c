using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// Elastic weight consolidation (Kirkpatrick et al. 2017, "Overcoming catastrophic forgetting in neural networks"):
/// when a stage ends, the diagonal Fisher information F of its training data and the weights θ* are stored, and every
/// later step adds <c>λ/2 · Σ_anchors Σ_i F_i (θ_i − θ*_i)²</c>. Offline, each finished stage keeps its own anchor;
/// online (Schwarz et al. 2018, "Progress &amp; Compress") one running F = γ·F_prev + F_new is kept around the latest θ*.
/// <para>
/// F is the empirical Fisher: the mean over samples of the squared gradient of the sample's log-likelihood
/// (log p of its answer tokens and EOS given the prompt). Each sample gets its own backward pass, since the square of
/// a batch-mean gradient is not the mean of the squares. The last stage stores no anchor: no later step would use it.
/// </para>
/// </summary>
internal sealed class EwcPlugin(EwcStrategyConfig config, int seed) : IStrategyPlugin, IDisposable
{
    private readonly List<QuadraticAnchor> _anchors = [];
    private readonly StableRandom _subset = StableRandom.For(seed, "ewc:fisher");
    private readonly JsonArray _estimates = [];

    /// <summary>The anchors in force: one per finished stage (offline) or at most one (online).</summary>
    public int AnchorCount => _anchors.Count;

    /// <inheritdoc />
    public Tensor? ExtraLoss(StageContext context, TrainingBatch batch, Tensor answerLogits) =>
        _anchors.Count == 0 || config.Lambda == 0 ? null : Penalty(context.Model);

    /// <summary>λ/2 · Σ_anchors Σ_i F_i (θ_i − θ*_i)² for the current weights of <paramref name="model"/>.</summary>
    public Tensor Penalty(ContinualModel model)
    {
        Tensor? sum = null;
        foreach (var anchor in _anchors)
        {
            var term = anchor.Penalty(model);
            sum = sum is null ? term : sum + term;
        }
        return sum is null ? zeros(1).squeeze() : sum * (config.Lambda / 2);
    }

    /// <inheritdoc />
    public void OnStageEnd(StageContext context)
    {
        if (context.StageIndex == context.StageCount - 1 || config.Lambda == 0)
        {
            ReleaseAnchors(); // no later stage to protect this one in
            return;
        }
        var samples = context.Stage.Samples.ToList();
        if (config.FisherSamples is { } cap && cap < samples.Count)
        {
            _subset.Shuffle(samples);
            samples = samples.Take(cap).ToList();
        }
        var fisher = EstimateFisher(context.Model, samples, context.Device);
        var (mean, max) = Statistics(fisher.Values);
        _estimates.Add(new JsonObject
        {
            ["stage"] = context.Stage.Name,
            ["samples"] = samples.Count,
            ["fisher_mean"] = mean,
            ["fisher_max"] = max,
        });
        Consolidate(context.Model, fisher);
    }

    /// <summary>
    /// Stores <paramref name="fisher"/> (taking ownership) with the current weights of <paramref name="model"/> as θ*:
    /// a new anchor offline, folded into the running one online.
    /// </summary>
    public void Consolidate(ContinualModel model, IReadOnlyDictionary<string, Tensor> fisher)
    {
        var anchor = new QuadraticAnchor(model, fisher);
        if (!config.Online || _anchors.Count == 0)
        {
            _anchors.Add(anchor);
            return;
        }
        _anchors[0].Absorb(anchor, config.Gamma);
        anchor.Dispose();
    }

    /// <summary>
    /// The empirical diagonal Fisher of <paramref name="samples"/> for every trainable parameter of
    /// <paramref name="model"/>: mean over samples of (∂ log p(answer | prompt) / ∂θ)², one backward pass per sample.
    /// Gradients are cleared afterwards so the next optimiser step starts clean.
    /// </summary>
    public static Dictionary<string, Tensor> EstimateFisher(ContinualModel model, IReadOnlyList<TrainingSample> samples, Device device)
    {
        var parameters = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var fisher = parameters.ToDictionary(p => p.name, p => zeros_like(p.parameter).DetachFromDisposeScope());
        bool wasTraining = model.training;
        model.eval(); // the Fisher of the model itself, not of a dropout sub-network
        foreach (var sample in samples)
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            using var batch = new TrainingBatch([sample], device);
            var logits = model.AnswerLogits(batch); // [N, V]
            var negativeLogLikelihood = nn.functional.cross_entropy(logits, batch.AnswerTargets, reduction: nn.Reduction.Sum);
            negativeLogLikelihood.backward();
            using var noGrad = no_grad();
            foreach (var (name, parameter) in parameters)
                if (parameter.grad is { } grad) fisher[name].add_(grad.square());
        }
        foreach (var f in fisher.Values) f.div_(Math.Max(1, samples.Count));
        model.zero_grad();
        model.train(wasTraining);
        return fisher;
    }

    /// <inheritdoc />
    public void Report(JsonObject report) => report["ewc"] = new JsonObject
    {
        ["lambda"] = config.Lambda,
        ["online"] = config.Online,
        ["gamma"] = config.Gamma,
        ["fisher_samples"] = config.FisherSamples,
        ["fisher_estimates"] = _estimates.Count,
        ["estimates"] = _estimates.DeepClone(),
    };

    /// <inheritdoc />
    public void SaveState(PluginState state)
    {
        for (int i = 0; i < _anchors.Count; i++) _anchors[i].Save(state, $"anchor{i}");
        state.Values["anchors"] = _anchors.Count;
        state.Values["subset_random"] = _subset.State;
        state.Values["estimates"] = _estimates.DeepClone();
    }

    /// <inheritdoc />
    public void LoadState(PluginState state, ResumeContext context)
    {
        ReleaseAnchors();
        int count = state.Value("anchors").GetValue<int>();
        for (int i = 0; i < count; i++) _anchors.Add(QuadraticAnchor.Load(state, $"anchor{i}", context.Device));
        _subset.State = state.Value("subset_random").GetValue<ulong>();
        _estimates.Clear();
        foreach (var estimate in state.Value("estimates").AsArray()) _estimates.Add(estimate?.DeepClone());
    }

    /// <inheritdoc />
    public void Dispose() => ReleaseAnchors();

    private void ReleaseAnchors()
    {
        foreach (var anchor in _anchors) anchor.Dispose();
        _anchors.Clear();
    }

    /// <summary>Mean and max of a Fisher estimate over all its entries (Fisher values are ≥ 0).</summary>
    private static (double Mean, double Max) Statistics(IEnumerable<Tensor> fishers)
    {
        using var scope = NewDisposeScope();
        double sum = 0, max = 0;
        long count = 0;
        foreach (var fisher in fishers)
        {
            sum += fisher.sum(ScalarType.Float64).item<double>();
            max = Math.Max(max, fisher.max().item<float>());
            count += fisher.numel();
        }
        return (sum / Math.Max(1, count), max);
    }
}
