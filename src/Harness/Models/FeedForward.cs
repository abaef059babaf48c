using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>The transformer's position-wise MLP: up-projection ×4, GELU, down-projection.</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    // Named as their state_dict keys and LoRA targets (TorchSharp uses the field name).
    private readonly Linear mlp_up, mlp_down;
    private readonly Dropout dropout;

    /// <summary>An MLP of width 4·<paramref name="dModel"/>.</summary>
    public FeedForward(int dModel, double dropoutRate) : base(nameof(FeedForward))
    {
        mlp_up = nn.Linear(dModel, 4 * dModel);
        mlp_down = nn.Linear(4 * dModel, dModel);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) // [B, T, C]
    {
        using var up = mlp_up.forward(x); // [B, T, 4C]
        using var activated = nn.functional.gelu(up);
        return dropout.forward(mlp_down.forward(activated));
    }
}
