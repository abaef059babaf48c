using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Samples collated once into device tensors: inputs are tokens[:-1], right-padded with <c>Pad</c>; the loss applies
/// only where the next token belongs to the answer (answer tokens and EOS), kept as flat position indices with their
/// targets, so the output head runs only where a loss applies.
/// </summary>
internal sealed class TrainingBatch : IDisposable
{
    /// <summary>The samples in batch order.</summary>
    public IReadOnlyList<TrainingSample> Samples { get; }
    /// <summary>[B, T] input token ids.</summary>
    public Tensor Inputs { get; }
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
        var positions = new List<long>();
        var answerTargets = new List<long>();
        for (int b = 0; b < samples.Count; b++)
        {
            var tokens = samples[b].Tokens;
            for (int t = 0; t < tokens.Length - 1; t++)
            {
                inputs[b * width + t] = tokens[t];
                if (t + 1 < samples[b].AnswerStart) continue;
                positions.Add(b * width + t);
                answerTargets.Add(tokens[t + 1]);
            }
            TokenCount += tokens.Length - 1;
        }
        Inputs = tensor(inputs, [samples.Count, width], ScalarType.Int64).to(device);
        AnswerPositions = tensor(positions.ToArray(), ScalarType.Int64).to(device);
        AnswerTargets = tensor(answerTargets.ToArray(), ScalarType.Int64).to(device);
    }

    /// <summary>The hidden states ([B, T, C]) at <see cref="AnswerPositions"/>: [N, C].</summary>
    public Tensor AtAnswers(Tensor hidden) => hidden.flatten(0, 1).index_select(0, AnswerPositions);

    /// <summary>
    /// Mean cross-entropy of the answer-position logits ([N, V], see <see cref="AtAnswers"/>): a mean over answer
    /// tokens, as in language modelling, so a long answer weighs more than a short one.
    /// </summary>
    public Tensor Loss(Tensor answerLogits) => nn.functional.cross_entropy(answerLogits, AnswerTargets);

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        AnswerPositions.Dispose();
        AnswerTargets.Dispose();
    }
}
