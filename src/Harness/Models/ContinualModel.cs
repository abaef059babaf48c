using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// What the training skeleton and every strategy plugin need of a network: the logits at a batch's loss positions
/// (answer tokens for the text model, one row per image for the classifier) and an independent snapshot of itself.
/// Everything else (parameters, state_dict, train/eval) is the ordinary TorchSharp module API.
/// </summary>
internal abstract class ContinualModel(string name) : nn.Module<Tensor, Tensor>(name), IMixedPrecisionModule
{
    /// <summary>
    /// Logits at the batch's loss positions, [N, V], rows in <see cref="TrainingBatch.AnswerTargets"/> order. Outputs a
    /// row may not choose (the other tasks' heads in task-incremental learning) are already masked out, so the loss,
    /// distillation, the Fisher and evaluation all see the same distribution.
    /// </summary>
    public abstract Tensor AnswerLogits(TrainingBatch batch);

    /// <summary>
    /// The logits at the loss positions over every output, without the task-head mask (distillation of earlier
    /// tasks' heads needs them); the same as <see cref="AnswerLogits"/> for models without heads.
    /// </summary>
    public virtual Tensor UnmaskedLogits(TrainingBatch batch) => AnswerLogits(batch);

    /// <summary>
    /// Gives <paramref name="use"/> each chunk of <paramref name="samples"/> (at most <paramref name="batchSize"/>), its
    /// batch on <paramref name="device"/> and its <see cref="AnswerLogits"/>, [N, V], computed under no_grad in eval mode;
    /// the model's mode is restored afterwards, and each chunk's tensors are freed after its call.
    /// </summary>
    public void ForEachAnswerBatch(IReadOnlyList<TrainingSample> samples, Device device, int batchSize,
        Action<TrainingSample[], TrainingBatch, Tensor> use)
    {
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var chunk in samples.Chunk(Math.Max(1, batchSize)))
            {
                using var scope = NewDisposeScope();
                using var batch = new TrainingBatch(chunk, device);
                use(chunk, batch, AnswerLogits(batch));
            }
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>
    /// Makes every projection of the model compute in <paramref name="computeType"/> (bfloat16 for mixed precision) or,
    /// with null, in float32 like the weights.
    /// </summary>
    public void SetComputeType(ScalarType? computeType)
    {
        ComputeType = computeType;
        foreach (var module in modules().OfType<IMixedPrecisionModule>()) module.ComputeType = computeType;
    }

    /// <summary>Sets the compute type from <c>training.precision</c>: bf16 → bfloat16, fp32 → float32.</summary>
    public void SetPrecision(string precision) => SetComputeType(precision == "bf16" ? ScalarType.BFloat16 : null);

    /// <summary>The type the model's own projections compute in (the GPT's output head, every layer of the MLP); null = float32.</summary>
    public ScalarType? ComputeType { get; set; }

    /// <summary>
    /// An independent model with this one's shape and current weights, on the same device (a distillation teacher).
    /// It shares no storage with this model, so training either leaves the other unchanged.
    /// </summary>
    public abstract ContinualModel Copy();

    /// <summary>
    /// Finishes <see cref="Copy"/>: <paramref name="fresh"/>, a new model of this shape, is moved to this model's device
    /// and given its weights. Its construction drew initial weights from the generator; that state is restored, so
    /// taking a copy shifts no later random draw.
    /// </summary>
    protected T CopyInto<T>(Func<T> fresh) where T : ContinualModel
    {
        using var rngState = get_rng_state();
        var copy = fresh();
        set_rng_state(rngState);
        copy.to(parameters().First().device);
        copy.SetComputeType(ComputeType); // a teacher computes as its student does
        using var noGrad = no_grad();
        copy.load_state_dict(state_dict());
        return copy;
    }
}
