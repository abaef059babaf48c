using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>Multi-head causal self-attention (Vaswani et al. 2017) with separate q, k, v, o projections (LoRA targets).</summary>
internal sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    // Module fields are named as their state_dict keys (TorchSharp uses the field name): q, k, v, o are the LoRA targets.
    private readonly Linear q, k, v, o;
    private readonly Dropout dropout;
    private readonly int _heads;
    private readonly double _dropoutRate;

    /// <summary>Attention over <paramref name="dModel"/> channels split into <paramref name="heads"/> heads.</summary>
    public CausalSelfAttention(int dModel, int heads, double dropoutRate) : base(nameof(CausalSelfAttention))
    {
        q = nn.Linear(dModel, dModel);
        k = nn.Linear(dModel, dModel);
        v = nn.Linear(dModel, dModel);
        o = nn.Linear(dModel, dModel);
        dropout = nn.Dropout(dropoutRate);
        _heads = heads;
        _dropoutRate = dropoutRate;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) // [B, T, C]
    {
        long batch = x.shape[0], time = x.shape[1], channels = x.shape[2];
        Tensor Heads(Linear projection) =>
            projection.forward(x).view(batch, time, _heads, channels / _heads).transpose(1, 2); // [B, H, T, C/H]
        using var query = Heads(q);
        using var key = Heads(k);
        using var value = Heads(v);
        using var attended = nn.functional.scaled_dot_product_attention(
            query, key, value, null, training ? _dropoutRate : 0.0, true); // [B, H, T, C/H]
        using var merged = attended.transpose(1, 2).contiguous().view(batch, time, channels); // [B, T, C]
        return dropout.forward(o.forward(merged));
    }
}
