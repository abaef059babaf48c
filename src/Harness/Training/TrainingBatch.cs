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
        int answers = samples.Sum(s => s.AnswerRowCount);
        // Inputs, answer positions and targets in one host array, so the batch crosses to the device in one copy.
        var packed = new long[samples.Count * width + 2 * answers];
        int position = samples.Count * width, target = position + answers;
        for (int b = 0; b < samples.Count; b++)
        {
            var tokens = samples[b].Tokens;
            Array.Copy(tokens, 0, packed, b * width, tokens.Length - 1);
            // The loss positions: those whose next token is an answer token or EOS (TrainingSample.AnswerRowCount).
            for (int t = Math.Max(0, samples[b].AnswerStart - 1); t < tokens.Length - 1; t++)
            {
                packed[position++] = b * width + t;
                packed[target++] = tokens[t + 1];
            }
            TokenCount += tokens.Length - 1;
        }
        using var host = tensor(packed, ScalarType.Int64);
        using var onDevice = host.to(device);
        using (var inputs = onDevice.narrow(0, 0, samples.Count * width)) Inputs = inputs.view(samples.Count, width);
        AnswerPositions = onDevice.narrow(0, samples.Count * width, answers);
        AnswerTargets = onDevice.narrow(0, samples.Count * width + answers, answers);
    }

    /// <summary>
    /// Pixels ([B, H·W], batch order), targets and head bounds of image samples, which may mix task views. The indices
    /// go to the device in one copy; the pixels are gathered there from the views' device tensors.
    /// </summary>
    private static (Tensor Pixels, Tensor Targets, Tensor? Starts, Tensor? Ends) CollateImages(IReadOnlyList<TrainingSample> samples, Device device)
    {
        var images = samples.Select(s => s.Image ?? throw new ArgumentException("a batch mixes text and image samples")).ToList();
        int count = images.Count;
        bool heads = images.Any(i => i.HasHead);
        // Replayed samples come from earlier tasks' views: rows are gathered view by view, then put back in batch order.
        var groups = Enumerable.Range(0, count).GroupBy(b => images[b].View, ReferenceEqualityComparer.Instance).ToList();
        var order = groups.SelectMany(g => g).ToArray();
        // [targets | starts, ends (with heads) | rows in view order | inverse order (several views)]
        var packed = new List<long>(5 * count);
        packed.AddRange(images.Select(i => (long)i.Target));
        if (heads)
        {
            packed.AddRange(images.Select(i => i.HasHead ? i.HeadStart : 0L));
            packed.AddRange(images.Select(i => i.HasHead ? i.HeadEnd : long.MaxValue));
        }
        packed.AddRange(order.Select(b => (long)images[b].Row));
        if (groups.Count > 1)
        {
            var inverse = new long[count];
            for (int i = 0; i < count; i++) inverse[order[i]] = i;
            packed.AddRange(inverse);
        }
        using var host = tensor(packed.ToArray(), ScalarType.Int64);
        using var onDevice = host.to(device);
        int offset = 0;
        Tensor Next(int length)
        {
            var part = onDevice.narrow(0, offset, length);
            offset += length;
            return part;
        }
        var targets = Next(count);
        var (starts, ends) = heads ? (Next(count), Next(count)) : ((Tensor?)null, (Tensor?)null);
        var parts = groups.Select(g =>
        {
            using var rows = Next(g.Count());
            return images[g.First()].View.Gather(rows);
        }).ToList();
        if (groups.Count == 1) return (parts[0], targets, starts, ends);
        using var inverseOrder = Next(count);
        using var stacked = cat(parts, 0);
        foreach (var part in parts) part.Dispose();
        return (stacked.index_select(0, inverseOrder), targets, starts, ends);
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
