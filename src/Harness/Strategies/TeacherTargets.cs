using Harness.Models;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// The distillation teacher's softened answer distributions, per sample: computed the first time a sample is distilled
/// in a stage and reused after, as Li &amp; Hoiem (2016) record the old model's responses once per task. The teacher is
/// frozen for the stage, so a kept target equals a recomputed one, and the step skips the teacher's forward pass. Up to
/// <c>budgetBytes</c>; beyond it, new samples' targets are computed each time they are met.
/// </summary>
internal sealed class TeacherTargets(ContinualModel teacher, double temperature, long budgetBytes, Device device) : IDisposable
{
    // Per sample: [rows, V] teacher probabilities p_t and [rows] Σ_v p_t log p_t, views of one sub-batch's tensors.
    private readonly Dictionary<TrainingSample, (Tensor Probabilities, Tensor NegativeEntropy)> _kept = new(ReferenceEqualityComparer.Instance);
    private long _bytes;

    /// <summary>Samples whose targets are kept.</summary>
    public int KeptSamples => _kept.Count;

    /// <summary>
    /// The targets of <paramref name="batch"/>'s loss rows, in its order: p_t = softmax(teacher / T), [N, V], and each
    /// row's Σ_v p_t log p_t, [N]. Samples not met before run through the teacher together, once.
    /// </summary>
    public (Tensor Probabilities, Tensor NegativeEntropy) For(TrainingBatch batch)
    {
        var fresh = new Dictionary<TrainingSample, (Tensor, Tensor)>(ReferenceEqualityComparer.Instance);
        var missing = batch.Samples.Where(s => !_kept.ContainsKey(s)).Distinct(ReferenceEqualityComparer.Instance).Cast<TrainingSample>().ToList();
        if (missing.Count > 0)
        {
            // A batch met for the first time (every batch of a stage's first epoch) is already collated.
            using var collated = missing.Count == batch.Samples.Count ? null : new TrainingBatch(missing, device);
            Tensor probabilities, negativeEntropy;
            using (no_grad())
            {
                var logProbabilities = nn.functional.log_softmax(teacher.AnswerLogits(collated ?? batch) / temperature, 1); // [M, V]
                probabilities = logProbabilities.exp();
                negativeEntropy = (probabilities * logProbabilities).sum(1); // [M]
            }
            long bytes = (probabilities.numel() + negativeEntropy.numel()) * sizeof(float);
            bool keep = _bytes + bytes <= budgetBytes;
            if (keep)
            {
                probabilities.DetachFromDisposeScope();
                negativeEntropy.DetachFromDisposeScope();
                _bytes += bytes;
            }
            long row = 0;
            foreach (var sample in missing)
            {
                var rows = sample.AnswerRowCount;
                var part = (probabilities.narrow(0, row, rows), negativeEntropy.narrow(0, row, rows));
                row += rows;
                if (keep) _kept[sample] = (part.Item1.DetachFromDisposeScope(), part.Item2.DetachFromDisposeScope());
                else fresh[sample] = part;
            }
            if (keep)
            {
                // The kept views hold the storage; these handles are no longer needed.
                probabilities.Dispose();
                negativeEntropy.Dispose();
            }
        }
        var parts = batch.Samples.Select(s => _kept.TryGetValue(s, out var kept) ? kept : fresh[s]).ToList();
        return (cat(parts.Select(p => p.Item1).ToList(), 0), cat(parts.Select(p => p.Item2).ToList(), 0));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (probabilities, negativeEntropy) in _kept.Values)
        {
            probabilities.Dispose();
            negativeEntropy.Dispose();
        }
        _kept.Clear();
        _bytes = 0;
    }
}
