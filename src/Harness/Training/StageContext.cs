using Harness.Models;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>What a strategy plugin may look at during a stage. Plugins return batches or losses; they do not mutate this.</summary>
internal sealed record StageContext(
    int StageIndex,
    int StageCount,
    TrainingStage Stage,
    ContinualModel Model,
    Device Device,
    int BatchSize,
    IReadOnlyList<string> DomainIds);
