using Harness.Models;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// Scores samples with the current model for buffers that select at a stage's end: forward passes in batches under
/// no_grad in eval mode (the model's mode is restored afterwards), the same answer positions as training.
/// </summary>
internal sealed class ModelReplayScorer(ContinualModel model, Device device, int batchSize, bool storeLogits) : IReplayScorer
{
    /// <inheritdoc />
    public IReadOnlyList<double> Losses(IReadOnlyList<TrainingSample> samples)
    {
        var losses = new List<double>(samples.Count);
        model.ForEachAnswerBatch(samples, device, batchSize, (chunk, batch, logits) =>
        {
            var rows = nn.functional.cross_entropy(logits, batch.AnswerTargets, reduction: nn.Reduction.None) // [N]
                .cpu().data<float>().ToArray();
            var starts = AnswerRows.Starts(chunk);
            for (int i = 0; i < chunk.Length; i++)
                losses.Add(rows[starts[i]..starts[i + 1]].Average(r => (double)r));
        });
        return losses;
    }

    /// <summary>The entries to store; with <c>storeLogits</c> each carries its answer-position logits as of now.</summary>
    public IReadOnlyList<ReplayEntry> Entries(IReadOnlyList<TrainingSample> samples)
    {
        if (!storeLogits) return samples.Select(s => new ReplayEntry(s)).ToList();
        var entries = new List<ReplayEntry>(samples.Count);
        model.ForEachAnswerBatch(samples, device, batchSize, (chunk, _, logits) =>
        {
            int vocab = (int)logits.shape[1];
            var flat = logits.cpu().data<float>().ToArray(); // [N, V]
            var starts = AnswerRows.Starts(chunk);
            for (int i = 0; i < chunk.Length; i++)
                entries.Add(new ReplayEntry(chunk[i], flat[(starts[i] * vocab)..(starts[i + 1] * vocab)]));
        });
        return entries;
    }
}
