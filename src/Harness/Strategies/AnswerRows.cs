using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// Which rows of a batch's answer-position logits ([N, V], <see cref="TrainingBatch.AnswerPositions"/> order) belong to
/// which sample: a sample contributes one row per position whose next token is in its answer (answer tokens and EOS).
/// </summary>
internal static class AnswerRows
{
    /// <summary>First row of each sample, plus the total as a last element (Count + 1 values).</summary>
    public static int[] Starts(IReadOnlyList<TrainingSample> samples)
    {
        var starts = new int[samples.Count + 1];
        for (int i = 0; i < samples.Count; i++) starts[i + 1] = starts[i] + samples[i].AnswerRowCount;
        return starts;
    }
}
