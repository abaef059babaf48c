using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>A low-rank update of one module of the model (a projection or the token embedding), as PEFT names its tensors.</summary>
internal abstract class LoraUpdate(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>The update's tensors with their PEFT suffixes (e.g. <c>lora_A.weight</c>), in a fixed order.</summary>
    public abstract IReadOnlyList<(string Suffix, Tensor Tensor)> NamedWeights { get; }

    /// <summary>
    /// The update for input <paramref name="x"/>; <paramref name="training"/> is the host module's mode (dropout on or off),
    /// so an adapter follows <c>model.train()</c> / <c>model.eval()</c> although it is not a submodule of the model.
    /// </summary>
    public abstract Tensor Update(Tensor x, bool training);

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Update(x, training);
}
