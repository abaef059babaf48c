using Harness.Data;
using Harness.Models;
using Harness.Strategies;

namespace Harness.Training;

/// <summary>
/// Everything the trainer carries past a stage boundary, as a checkpoint needs it: <see cref="CompletedStages"/> is 0
/// after the evaluation before training, k after stage k and its evaluation.
/// </summary>
internal sealed record TrainerSnapshot(
    int CompletedStages,
    int StageCount,
    ContinualModel Model,
    IReadOnlyList<IStrategyPlugin> Plugins,
    SampleIndex Samples,
    EvaluationRows Rows,
    StepLoop Loop,
    StableRandom BatchOrder);
