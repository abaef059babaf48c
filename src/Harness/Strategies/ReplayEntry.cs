using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// One sample held by a replay buffer: its token ids and, for DER++ (Buzzega et al. 2020), the model's logits at its
/// answer positions as they were when it was stored ([answer rows × vocabulary], row-major, on the host).
/// </summary>
internal sealed record ReplayEntry(TrainingSample Sample, float[]? Logits = null)
{
    /// <summary>Bytes of the token ids (4 per id).</summary>
    public long TokenBytes => (long)Sample.Tokens.Length * sizeof(int);

    /// <summary>Bytes of the stored logits (4 per float; 0 without them).</summary>
    public long LogitBytes => (Logits?.LongLength ?? 0) * sizeof(float);

    /// <summary>Everything this entry holds.</summary>
    public long Bytes => TokenBytes + LogitBytes;
}
