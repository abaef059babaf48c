using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>Multi-head causal self-attention (Vaswani et al. 2017) with separate q, k, v, o projections (LoRA targets).</summary>
internal sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>, IMixedPrecisionModule
{
    // Module fields are named as their state_dict keys (TorchSharp uses the field name): q, k, v, o are the LoRA targets.
    private readonly Linear q, k, v, o;
    private readonly Dropout dropout;
    private readonly int _heads;
    private readonly double _dropoutRate;
    private readonly AdapterSite _qSite, _kSite, _vSite, _oSite;

    /// <inheritdoc />
    public ScalarType? ComputeType { get; set; }

    /// <summary>Where adapters plug into q, k, v and o.</summary>
    public IReadOnlyList<AdapterSite> Sites => [_qSite, _kSite, _vSite, _oSite];

    /// <summary>
    /// Attention over <paramref name="dModel"/> channels split into <paramref name="heads"/> heads; <paramref name="path"/>
    /// is its module path in the model (names its adapter sites).
    /// </summary>
    public CausalSelfAttention(int dModel, int heads, double dropoutRate, string path) : base(nameof(CausalSelfAttention))
    {
        q = nn.Linear(dModel, dModel);
        k = nn.Linear(dModel, dModel);
        v = nn.Linear(dModel, dModel);
        o = nn.Linear(dModel, dModel);
        dropout = nn.Dropout(dropoutRate);
        _heads = heads;
        _dropoutRate = dropoutRate;
        _qSite = new AdapterSite($"{path}.q", "q", dModel, dModel);
        _kSite = new AdapterSite($"{path}.k", "k", dModel, dModel);
        _vSite = new AdapterSite($"{path}.v", "v", dModel, dModel);
        _oSite = new AdapterSite($"{path}.o", "o", dModel, dModel);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Attend(x, null); // [B, T, C]

    /// <summary>
    /// Decoding: attention of the new positions <paramref name="x"/> ([B, Tn, C]) over the cached ones and themselves;
    /// their keys and values are added to layer <paramref name="layer"/> of <paramref name="cache"/>.
    /// <paramref name="mask"/> ([B, 1, Tn, Tcached + Tn], true = may attend) hides padding and the future.
    /// </summary>
    public Tensor Decode(Tensor x, KeyValueCache cache, int layer, Tensor mask) => Attend(x, (cache, layer, mask));

    private Tensor Attend(Tensor x, (KeyValueCache Cache, int Layer, Tensor Mask)? decoding)
    {
        long batch = x.shape[0], time = x.shape[1], channels = x.shape[2];
        Tensor Heads(Linear projection, AdapterSite site)
        {
            using var projected = site.Apply(x, MixedPrecision.Linear(projection, x, ComputeType), training); // [B, T, C]
            return projected.view(batch, time, _heads, channels / _heads).transpose(1, 2); // [B, H, T, C/H]
        }
        using var query = Heads(q, _qSite);
        using var key = Heads(k, _kSite);
        using var value = Heads(v, _vSite);
        using var attended = decoding is var (cache, layer, mask)
            ? AttendCached(query, cache.Append(layer, key, value), mask)
            : nn.functional.scaled_dot_product_attention(query, key, value, null, training ? _dropoutRate : 0.0, true); // [B, H, T, C/H]
        using var merged = attended.transpose(1, 2).contiguous().view(batch, time, channels); // [B, T, C]
        using var output = _oSite.Apply(merged, MixedPrecision.Linear(o, merged, ComputeType), training);
        return dropout.forward(output);
    }

    private static Tensor AttendCached(Tensor query, (Tensor Keys, Tensor Values) cached, Tensor mask)
    {
        using var keys = cached.Keys;
        using var values = cached.Values;
        return nn.functional.scaled_dot_product_attention(query, keys, values, mask, 0.0, false); // [B, H, Tn, C/H]
    }
}
