using Harness.Metrics;

namespace Harness.Training;

/// <summary>What a curriculum run measured: the accuracy matrices and the throughput of its training steps.</summary>
internal sealed record TrainingResult(
    AccuracyMatrix ExactMatch,
    AccuracyMatrix? TokenAccuracy,
    AccuracyMatrix? Heldout,
    AccuracyMatrix? RouterAccuracy,
    long TrainedTokens,
    double TrainingSeconds,
    IReadOnlyList<(long Step, double Loss)> LossCurve)
{
    /// <summary>Batches skipped for a non-finite loss (training.on_nonfinite: skip_batch).</summary>
    public long SkippedBatches { get; init; }
}
