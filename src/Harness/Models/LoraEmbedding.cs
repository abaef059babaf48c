using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// A low-rank update of the token embedding (LoRA for embeddings, as in PEFT): Δ(ids) = (A[:, ids])ᵀ·Bᵀ · alpha / r with
/// A [r, vocab] starting at zero and B [d_model, r] normal, so a fresh update changes nothing. A domain whose tokens
/// the base never saw (digits, for a base pretrained on prose) needs it: their frozen embeddings are still random.
/// </summary>
internal sealed class LoraEmbedding : LoraUpdate
{
    private readonly Parameter lora_embedding_A, lora_embedding_B;
    private readonly double _scaling;

    /// <summary>A rank-<paramref name="rank"/> update of a <paramref name="vocabSize"/> × <paramref name="dModel"/> embedding.</summary>
    public LoraEmbedding(long vocabSize, long dModel, int rank, double alpha, Device device) : base(nameof(LoraEmbedding))
    {
        lora_embedding_A = new Parameter(zeros(rank, vocabSize));
        lora_embedding_B = new Parameter(randn(dModel, rank));
        _scaling = alpha / rank;
        RegisterComponents();
        this.to(device);
    }

    /// <inheritdoc />
    public override IReadOnlyList<(string Suffix, Tensor Tensor)> NamedWeights =>
        [("lora_embedding_A", lora_embedding_A), ("lora_embedding_B", lora_embedding_B)];

    /// <inheritdoc />
    public override Tensor Update(Tensor ids, bool training) // [B, T] token ids → [B, T, C]
    {
        using var rows = lora_embedding_A.t(); // [V, r]
        using var flat = ids.flatten();
        using var picked = rows.index_select(0, flat); // [B·T, r]
        using var up = picked.matmul(lora_embedding_B.t()); // [B·T, C]
        using var scaled = up.mul(_scaling);
        return scaled.view([.. ids.shape, lora_embedding_B.shape[0]]);
    }
}
