using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// Joint (offline) training on the union of every domain in one stage: the usual upper bound, since nothing is
/// learned in sequence and so nothing can be forgotten. Its accuracy matrix has two rows, initial and joint.
/// </summary>
public sealed class JointPlugin : IStrategyPlugin
{
    /// <inheritdoc />
    public IReadOnlyList<TrainingStage> PlanStages(IReadOnlyList<TrainingStage> stages) =>
    [
        new TrainingStage(
            "joint",
            stages.SelectMany(s => s.Domains).ToList(),
            stages.SelectMany(s => s.Samples).ToList(),
            stages.Max(s => s.Epochs)),
    ];
}
