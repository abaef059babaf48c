using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>A low-rank update of one module of the model (a projection or the token embedding), as PEFT names its tensors.</summary>
internal abstract class LoraUpdate(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>The update's tensors with their PEFT suffixes (e.g. <c>lora_A.weight</c>), in a fixed order.</summary>
    public abstract IReadOnlyList<(string Suffix, Tensor Tensor)> NamedWeights { get; }
}
