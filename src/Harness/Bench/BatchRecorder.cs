using Harness.Strategies;
using Harness.Training;

namespace Harness.Bench;

/// <summary>
/// Keeps the samples of every batch the trainer collates in the given stages, so the bare loop and the PyTorch
/// reference train on exactly the batches Harness trained on.
/// </summary>
internal sealed class BatchRecorder(Func<int, bool> stageWanted) : IStrategyPlugin
{
    /// <summary>The recorded batches, in training order.</summary>
    public List<IReadOnlyList<TrainingSample>> Batches { get; } = [];

    /// <inheritdoc />
    public void OnBatch(StageContext context, TrainingBatch batch)
    {
        if (stageWanted(context.StageIndex)) Batches.Add(batch.Samples.ToList());
    }
}
