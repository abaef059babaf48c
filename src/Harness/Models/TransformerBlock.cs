using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>Pre-norm transformer block: x + attn(ln(x)), then x + mlp(ln(x)).</summary>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    // Named as their state_dict keys (TorchSharp uses the field name).
    private readonly LayerNorm ln_attn, ln_mlp;
    private readonly CausalSelfAttention attn;
    private readonly FeedForward mlp;

    /// <summary>Where adapters plug into this block's projections.</summary>
    public IEnumerable<AdapterSite> Sites => attn.Sites.Concat(mlp.Sites);

    /// <summary>One block of width <paramref name="dModel"/>; <paramref name="path"/> is its module path, e.g. <c>blocks.0</c>.</summary>
    public TransformerBlock(int dModel, int heads, double dropoutRate, string path) : base(nameof(TransformerBlock))
    {
        ln_attn = nn.LayerNorm(dModel);
        attn = new CausalSelfAttention(dModel, heads, dropoutRate, $"{path}.attn");
        ln_mlp = nn.LayerNorm(dModel);
        mlp = new FeedForward(dModel, dropoutRate, $"{path}.mlp");
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Run(x, normed => attn.forward(normed)); // [B, T, C]

    /// <summary>The block on new positions during decoding (see <see cref="CausalSelfAttention.Decode"/>).</summary>
    public Tensor Decode(Tensor x, KeyValueCache cache, int layer, Tensor mask) => Run(x, normed => attn.Decode(normed, cache, layer, mask));

    private Tensor Run(Tensor x, Func<Tensor, Tensor> attention)
    {
        using var normed = ln_attn.forward(x);
        using var attended = attention(normed);
        var afterAttention = x + attended;
        using var normed2 = ln_mlp.forward(afterAttention);
        using var fed = mlp.forward(normed2);
        using (afterAttention) return afterAttention + fed;
    }
}
