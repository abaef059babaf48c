using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>The transformer's position-wise MLP: up-projection ×4, GELU, down-projection.</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>, IMixedPrecisionModule
{
    // Named as their state_dict keys and LoRA targets (TorchSharp uses the field name).
    private readonly Linear mlp_up, mlp_down;
    private readonly Dropout dropout;
    private readonly AdapterSite _upSite, _downSite;

    /// <inheritdoc />
    public ScalarType? ComputeType { get; set; }

    /// <summary>Where adapters plug into mlp_up and mlp_down.</summary>
    public IReadOnlyList<AdapterSite> Sites => [_upSite, _downSite];

    /// <summary>An MLP of width 4·<paramref name="dModel"/>; <paramref name="path"/> is its module path (names its adapter sites).</summary>
    public FeedForward(int dModel, double dropoutRate, string path) : base(nameof(FeedForward))
    {
        mlp_up = nn.Linear(dModel, 4 * dModel);
        mlp_down = nn.Linear(4 * dModel, dModel);
        dropout = nn.Dropout(dropoutRate);
        _upSite = new AdapterSite($"{path}.mlp_up", "mlp_up", dModel, 4 * dModel);
        _downSite = new AdapterSite($"{path}.mlp_down", "mlp_down", 4 * dModel, dModel);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) // [B, T, C]
    {
        using var up = _upSite.Apply(x, MixedPrecision.Linear(mlp_up, x, ComputeType), training); // [B, T, 4C]
        using var activated = nn.functional.gelu(up);
        using var down = _downSite.Apply(activated, MixedPrecision.Linear(mlp_down, activated, ComputeType), training); // [B, T, C]
        return dropout.forward(down);
    }
}
