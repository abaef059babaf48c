using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// One low-rank update of a linear projection (LoRA, Hu et al. 2021): Δ(x) = B·A·dropout(x) · alpha / r. A starts as
/// PyTorch's default Linear init (Kaiming-uniform) and B as zeros, as in PEFT, so a fresh layer changes nothing.
/// Field names are PEFT's tensor names (<c>lora_A.weight</c>, <c>lora_B.weight</c>).
/// </summary>
internal sealed class LoraLayer : LoraUpdate
{
    private readonly Linear lora_A, lora_B;
    private readonly double _dropout;
    private readonly double _scaling;

    /// <summary>A rank-<paramref name="rank"/> update from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    public LoraLayer(long inFeatures, long outFeatures, int rank, double alpha, double dropoutRate, Device device)
        : base(nameof(LoraLayer))
    {
        lora_A = nn.Linear(inFeatures, rank, hasBias: false);
        lora_B = nn.Linear(rank, outFeatures, hasBias: false);
        _dropout = dropoutRate;
        _scaling = alpha / rank;
        RegisterComponents();
        using (no_grad())
        using (NewDisposeScope()) // frees the handle zeros_ returns (the weight itself was made before the scope)
            nn.init.zeros_(lora_B.weight);
        this.to(device);
    }

    /// <summary>[rank, in] down-projection.</summary>
    public Tensor A => lora_A.weight!;

    /// <summary>[out, rank] up-projection.</summary>
    public Tensor B => lora_B.weight!;

    /// <inheritdoc />
    public override IReadOnlyList<(string Suffix, Tensor Tensor)> NamedWeights => [("lora_A.weight", A), ("lora_B.weight", B)];

    /// <inheritdoc />
    public override Tensor Update(Tensor x, bool training) // [..., in] → [..., out]
    {
        using var dropped = nn.functional.dropout(x, _dropout, training && _dropout > 0);
        using var down = lora_A.forward(dropped); // [..., r]
        using var up = lora_B.forward(down);
        return up.mul(_scaling);
    }
}
