using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Samples collated once into device tensors: inputs are tokens[:-1], right-padded with <c>Pad</c>; the loss applies
/// only where the next token belongs to the answer (answer tokens and EOS), kept as flat position indices with their
/// targets, so the output head runs only where a loss applies. Image samples collate to [B, H·W] pixels gathered
/// from the shared image tensor, one target per image, and each image's allowed outputs (its task's head).
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
    /// <summary>Real (non-padding) input tokens, counted on the host for throughput; an image counts as one.</summary>
    public long TokenCount { get; }
    /// <summary>Images: [B] first allowed output of each row; null when every row may choose every output.</summary>
    public Tensor? HeadStarts { get; }
    /// <summary>Images: [B] end (exclusive) of each row's allowed outputs; null with <see cref="HeadStarts"/>.</summary>
    public Tensor? HeadEnds { get; }

    /// <summary>Collates <paramref name="samples"/> onto <paramref name="device"/>.</summary>
    public TrainingBatch(IReadOnlyList<TrainingSample> samples, Device device)
    {
        Samples = samples;
        if (samples.Count > 0 && samples[0].Image is not null)
        {
            (Inputs, AnswerTargets, HeadStarts, HeadEnds) = CollateImages(samples, device);
            AnswerPositions = arange(samples.Count, dtype: ScalarType.Int64, device: device);
            TokenCount = samples.Count;
            return;
        }
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

    /// <summary>Pixels ([B, H·W], batch order), targets and head bounds of image samples, which may mix task views.</summary>
    private static (Tensor Pixels, Tensor Targets, Tensor? Starts, Tensor? Ends) CollateImages(IReadOnlyList<TrainingSample> samples, Device device)
    {
        var images = samples.Select(s => s.Image ?? throw new ArgumentException("a batch mixes text and image samples")).ToList();
        var targets = tensor(images.Select(i => (long)i.Target).ToArray(), ScalarType.Int64).to(device);
        Tensor? starts = null, ends = null;
        if (images.Any(i => i.HasHead))
        {
            starts = tensor(images.Select(i => i.HasHead ? i.HeadStart : 0L).ToArray(), ScalarType.Int64).to(device);
            ends = tensor(images.Select(i => i.HasHead ? i.HeadEnd : long.MaxValue).ToArray(), ScalarType.Int64).to(device);
        }
        var groups = Enumerable.Range(0, images.Count).GroupBy(b => images[b].View, ReferenceEqualityComparer.Instance).ToList();
        if (groups.Count == 1)
            return (images[0].View.Gather(tensor(images.Select(i => (long)i.Row).ToArray(), ScalarType.Int64).to(device)), targets, starts, ends);
        // Replayed samples come from earlier tasks' views: gather per view, then put the rows back in batch order.
        var parts = new List<Tensor>();
        var order = new List<long>();
        foreach (var group in groups)
        {
            var view = images[group.First()].View;
            parts.Add(view.Gather(tensor(group.Select(b => (long)images[b].Row).ToArray(), ScalarType.Int64).to(device)));
            order.AddRange(group.Select(b => (long)b));
        }
        var inverse = new long[order.Count];
        for (int i = 0; i < order.Count; i++) inverse[order[i]] = i;
        return (cat(parts, 0).index_select(0, tensor(inverse, ScalarType.Int64).to(device)), targets, starts, ends);
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
        HeadStarts?.Dispose();
        HeadEnds?.Dispose();
    }
}
