using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// L2 anchoring (Kirkpatrick et al. 2017's "L2" control; Hsu et al. 2018): when a stage ends, the weights θ* are kept,
/// and every later step adds <c>λ/2 · Σ_i (θ_i − θ*_i)²</c>, a uniform <see cref="QuadraticAnchor"/> (importance 1) around
/// the latest stage's weights. It protects every weight alike, so it trades plasticity for stability blindly: the
/// baseline that shows what EWC's and SI's importances add.
/// </summary>
internal sealed class L2Plugin(L2StrategyConfig config) : IStrategyPlugin, IDisposable
{
    private QuadraticAnchor? _anchor;

    /// <inheritdoc />
    public Tensor? ExtraLoss(StageContext context, TrainingBatch batch, Tensor answerLogits) =>
        _anchor is null || config.Lambda == 0 ? null : _anchor.Penalty(context.Model) * (config.Lambda / 2);

    /// <inheritdoc />
    public void OnStageEnd(StageContext context)
    {
        _anchor?.Dispose();
        _anchor = null;
        if (context.StageIndex == context.StageCount - 1 || config.Lambda == 0) return; // no later stage to protect this one in
        _anchor = QuadraticAnchor.Uniform(context.Model);
    }

    /// <inheritdoc />
    public void Report(JsonObject report) => report["l2"] = new JsonObject { ["lambda"] = config.Lambda };

    /// <inheritdoc />
    public void SaveState(PluginState state)
    {
        _anchor?.Save(state, "anchor");
        state.Values["anchored"] = _anchor is not null;
    }

    /// <inheritdoc />
    public void LoadState(PluginState state, ResumeContext context)
    {
        _anchor?.Dispose();
        _anchor = state.Value("anchored").GetValue<bool>() ? QuadraticAnchor.Load(state, "anchor", context.Device) : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _anchor?.Dispose();
        _anchor = null;
    }
}
