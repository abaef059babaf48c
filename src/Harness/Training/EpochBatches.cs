using Harness.Data;

namespace Harness.Training;

/// <summary>
/// Cuts a list of samples into batches, epoch after epoch: a fresh shuffle at the start of each epoch, then
/// consecutive slices. With <c>dropLast</c> an incomplete final slice is skipped (pretraining over a large corpus);
/// without it the epoch ends with a smaller batch, so every sample is trained on once per epoch.
/// </summary>
internal sealed class EpochBatches(IReadOnlyList<TrainingSample> samples, int batchSize, StableRandom random, bool dropLast)
{
    private readonly int[] _order = Enumerable.Range(0, samples.Count).ToArray();

    /// <summary>Steps that make one pass over the samples.</summary>
    public int StepsPerEpoch { get; } = dropLast
        ? Math.Max(1, samples.Count / batchSize)
        : (samples.Count + batchSize - 1) / batchSize;

    /// <summary>The samples of step <paramref name="step"/>; steps must be asked for in order.</summary>
    public IReadOnlyList<TrainingSample> At(int step)
    {
        int position = step % StepsPerEpoch;
        if (position == 0) random.Shuffle(_order);
        return _order.Skip(position * batchSize).Take(batchSize).Select(i => samples[i]).ToList();
    }
}
