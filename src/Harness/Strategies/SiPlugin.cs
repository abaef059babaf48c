using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Models;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// Synaptic intelligence (Zenke et al. 2017, "Continual Learning Through Synaptic Intelligence"). During a stage each
/// weight accumulates its share of the loss decrease along the optimiser's path, <c>ω_i += −g_i · Δθ_i</c> per step,
/// with g the gradient of the loss without SI's own penalty. When the stage ends its importance grows by
/// <c>ω_i / (Δ_i² + ξ)</c>, Δ_i being how far the weight moved over the stage (ξ damps weights that barely moved), and
/// θ* becomes the current weights; every later step adds <c>c · Σ_i Ω_i (θ_i − θ*_i)²</c>. A negative increment (the
/// loss rose along that weight's path) is clamped to 0, so no weight is pushed away from θ*. Ω is kept in one running
/// <see cref="QuadraticAnchor"/>, as in the paper.
/// <para>
/// The step's gradient is read after the optimiser stepped (the trainer clears it only before the next backward
/// pass); SI's own penalty gradient at the step's starting point, <c>2c·Ω·(θ_prev − θ*)</c>, is subtracted so that
/// ω measures the loss without SI's own term, as the paper defines it; loss terms of other plugins in the same list
/// (replay's samples, EWC, distillation) are part of that loss. The config refuses SI with gradient clipping, which
/// would rescale the gradient that ω integrates.
/// </para>
/// </summary>
internal sealed class SiPlugin(SiStrategyConfig config) : IStrategyPlugin, IDisposable
{
    private QuadraticAnchor? _anchor;
    private readonly Dictionary<string, Tensor> _omega = [], _previous = [], _stageStart = [];
    private readonly JsonArray _stages = [];

    /// <summary>The running importance Ω of each parameter, or empty before the first stage ended.</summary>
    public IReadOnlyDictionary<string, Tensor> Importance =>
        _anchor?.Importances.ToDictionary(i => i.Name, i => i.Importance) ?? new Dictionary<string, Tensor>();

    /// <summary>The path integral ω accumulated so far in the current stage.</summary>
    public IReadOnlyDictionary<string, Tensor> PathIntegral => _omega;

    /// <inheritdoc />
    public void OnStageStart(StageContext context)
    {
        ReleaseStageState();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in Trainable(context.Model))
        {
            _omega[name] = zeros_like(parameter).DetachFromDisposeScope();
            _previous[name] = parameter.detach().clone().DetachFromDisposeScope();
            _stageStart[name] = parameter.detach().clone().DetachFromDisposeScope();
        }
    }

    /// <inheritdoc />
    public Tensor? ExtraLoss(StageContext context, TrainingBatch batch, Tensor answerLogits) =>
        _anchor is null || config.C == 0 ? null : _anchor.Penalty(context.Model) * config.C;

    /// <inheritdoc />
    public void OnStepEnd(StageContext context, IReadOnlyList<TrainingSample> newSamples)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var anchored = _anchor?.Importances.ToDictionary(i => i.Name, i => i.Importance);
        var optima = _anchor?.Optima.ToDictionary(o => o.Name, o => o.Optimum);
        foreach (var (name, parameter) in Trainable(context.Model))
        {
            if (!_omega.TryGetValue(name, out var omega)) continue;
            var previous = _previous[name];
            if (parameter.grad is { } grad)
            {
                var taskGradient = grad;
                if (anchored is not null && optima is not null && anchored.TryGetValue(name, out var importance) && config.C != 0)
                    taskGradient = grad - importance * (previous - optima[name]) * (2 * config.C);
                omega.sub_(taskGradient * (parameter - previous)); // ω += −g · Δθ
            }
            previous.copy_(parameter); // always: the next Δθ is one step
        }
    }

    /// <inheritdoc />
    public void OnStageEnd(StageContext context)
    {
        if (context.StageIndex == context.StageCount - 1 || config.C == 0)
        {
            ReleaseStageState(); // no later stage to protect this one in
            return;
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var increments = new Dictionary<string, Tensor>();
        double total = 0;
        foreach (var (name, parameter) in Trainable(context.Model))
        {
            if (!_omega.TryGetValue(name, out var omega)) continue;
            using var moved = parameter.detach() - _stageStart[name];
            var increment = (omega / (moved.square() + config.Xi)).clamp_min(0).DetachFromDisposeScope();
            total += increment.sum(ScalarType.Float64).item<double>();
            increments[name] = increment;
        }
        var next = new QuadraticAnchor(context.Model, increments);
        if (_anchor is null) _anchor = next;
        else
        {
            _anchor.Absorb(next, 1.0);
            next.Dispose();
        }
        _stages.Add(new JsonObject { ["stage"] = context.Stage.Name, ["importance_added"] = total });
        ReleaseStageState();
    }

    /// <inheritdoc />
    public void Report(JsonObject report) => report["si"] = new JsonObject
    {
        ["c"] = config.C,
        ["xi"] = config.Xi,
        ["stages"] = _stages.DeepClone(),
    };

    /// <summary>Ω and θ* (the path integral ω lives only within a stage, and a checkpoint comes between stages).</summary>
    public void SaveState(PluginState state)
    {
        _anchor?.Save(state, "anchor");
        state.Values["anchored"] = _anchor is not null;
        state.Values["stages"] = _stages.DeepClone();
    }

    /// <inheritdoc />
    public void LoadState(PluginState state, ResumeContext context)
    {
        _anchor?.Dispose();
        _anchor = state.Value("anchored").GetValue<bool>() ? QuadraticAnchor.Load(state, "anchor", context.Device) : null;
        _stages.Clear();
        foreach (var stage in state.Value("stages").AsArray()) _stages.Add(stage?.DeepClone());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ReleaseStageState();
        _anchor?.Dispose();
        _anchor = null;
    }

    private static IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> Trainable(ContinualModel model) =>
        model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter));

    private void ReleaseStageState()
    {
        foreach (var tensor in _omega.Values.Concat(_previous.Values).Concat(_stageStart.Values)) tensor.Dispose();
        _omega.Clear();
        _previous.Clear();
        _stageStart.Clear();
    }
}
