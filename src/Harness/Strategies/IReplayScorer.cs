using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// What a buffer that selects at a stage's end may ask of the current model: per-sample losses, and entries to store
/// (with their logits as of now when the run keeps logits). Tests substitute losses they control.
/// </summary>
internal interface IReplayScorer
{
    /// <summary>Each sample's mean cross-entropy over its answer tokens, in order.</summary>
    IReadOnlyList<double> Losses(IReadOnlyList<TrainingSample> samples);

    /// <summary>The entries to store for <paramref name="samples"/>, in order.</summary>
    IReadOnlyList<ReplayEntry> Entries(IReadOnlyList<TrainingSample> samples);
}
