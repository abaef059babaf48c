using Harness.Metrics;
using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// Joint (offline) training on the union of every domain in one stage: the usual upper bound, since nothing is
/// learned in sequence and so nothing can be forgotten (the multi-task upper bound of Lopez-Paz &amp; Ranzato 2017 and
/// Hsu et al. 2018, "offline"). Its accuracy matrix has two rows, initial and joint.
/// </summary>
internal sealed class JointPlugin : IStrategyPlugin
{
    /// <inheritdoc />
    public IReadOnlyList<TrainingStage> PlanStages(IReadOnlyList<TrainingStage> stages) =>
    [
        new TrainingStage(
            ContinualMetrics.JointStage,
            stages.SelectMany(s => s.Domains).ToList(),
            stages.SelectMany(s => s.Samples).ToList(),
            stages.Max(s => s.Epochs)),
    ];
}
