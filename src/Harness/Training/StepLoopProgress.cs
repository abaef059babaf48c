namespace Harness.Training;

/// <summary>The counters of a <see cref="StepLoop"/> at a checkpoint: global step, tokens, seconds, skipped batches and the loss curve.</summary>
internal sealed record StepLoopProgress(long GlobalStep, long Tokens, double Seconds, long SkippedBatches, IReadOnlyList<(long Step, double Loss)> LossCurve);
