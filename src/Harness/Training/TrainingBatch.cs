using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Samples collated once into device tensors: inputs are tokens[:-1], targets tokens[1:] with every position outside
/// the answer (and all padding) set to <see cref="Ignore"/>, so the loss is on answer tokens only. The answer positions
/// are also kept as flat indices, so the output head runs only where a loss applies.
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    /// <summary>Target value that cross-entropy skips.</summary>
    public const long Ignore = -100;

    /// <summary>The samples in batch order.</summary>
    public IReadOnlyList<TrainingSample> Samples { get; }
    /// <summary>[B, T] input token ids.</summary>
    public Tensor Inputs { get; }
    /// <summary>[B, T] next-token targets, <see cref="Ignore"/> where no loss applies.</summary>
    public Tensor Targets { get; }
    /// <summary>[N] flat indices (b · T + t) of the positions that carry a loss, in batch order.</summary>
    public Tensor AnswerPositions { get; }
    /// <summary>[N] the next token to predict at each of <see cref="AnswerPositions"/>.</summary>
    public Tensor AnswerTargets { get; }
    /// <summary>Real (non-padding) input tokens, counted on the host for throughput.</summary>
    public long TokenCount { get; }

    /// <summary>Collates <paramref name="samples"/> onto <paramref name="device"/>.</summary>
    public TrainingBatch(IReadOnlyList<TrainingSample> samples, Device device)
    {
        Samples = samples;
        int width = samples.Max(s => s.Tokens.Length) - 1;
        var inputs = new long[samples.Count * width];
        var targets = new long[samples.Count * width];
        var positions = new List<long>();
        var answerTargets = new List<long>();
        Array.Fill(targets, Ignore);
        for (int b = 0; b < samples.Count; b++)
        {
            var tokens = samples[b].Tokens;
            for (int t = 0; t < tokens.Length - 1; t++)
            {
                inputs[b * width + t] = tokens[t];
                if (t + 1 < samples[b].AnswerStart) continue;
                targets[b * width + t] = tokens[t + 1];
                positions.Add(b * width + t);
                answerTargets.Add(tokens[t + 1]);
            }
            TokenCount += tokens.Length - 1;
        }
        Inputs = tensor(inputs, [samples.Count, width], ScalarType.Int64).to(device);
        Targets = tensor(targets, [samples.Count, width], ScalarType.Int64).to(device);
        AnswerPositions = tensor(positions.ToArray(), ScalarType.Int64).to(device);
        AnswerTargets = tensor(answerTargets.ToArray(), ScalarType.Int64).to(device);
    }

    /// <summary>The hidden states ([B, T, C]) at <see cref="AnswerPositions"/>: [N, C].</summary>
    public Tensor AtAnswers(Tensor hidden) => hidden.flatten(0, 1).index_select(0, AnswerPositions);

    /// <summary>Mean cross-entropy of the answer-position logits ([N, V], see <see cref="AtAnswers"/>).</summary>
    public Tensor Loss(Tensor answerLogits) => nn.functional.cross_entropy(answerLogits, AnswerTargets);

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        AnswerPositions.Dispose();
        AnswerTargets.Dispose();
    }
}
