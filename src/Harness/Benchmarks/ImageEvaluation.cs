using Harness.Models;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>
/// Scores an image task: the share of its scored images whose highest logit (within the task's head in
/// task-incremental learning) is the target, in large batches under no_grad in eval mode.
/// </summary>
internal sealed class ImageEvaluation(IReadOnlyList<IReadOnlyList<TrainingSample>> scored, Device device, int batchSize) : IDomainEvaluation
{
    /// <inheritdoc />
    public DomainEvaluation Score(ContinualModel model, int domain) =>
        new(Accuracy(model, scored[domain], device, batchSize), double.NaN, double.NaN, double.NaN);

    /// <summary>Classification accuracy of <paramref name="model"/> on <paramref name="samples"/>.</summary>
    public static double Accuracy(ContinualModel model, IReadOnlyList<TrainingSample> samples, Device device, int batchSize)
    {
        if (samples.Count == 0) return double.NaN;
        long correct = 0;
        model.ForEachAnswerBatch(samples, device, batchSize,
            (_, batch, logits) => correct += logits.argmax(1).eq(batch.AnswerTargets).sum().item<long>());
        return correct / (double)samples.Count;
    }
}
