using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// Mixed precision for the matrix products (<c>training.precision: bf16</c>), the part of autocast TorchSharp lacks:
/// a projection multiplies bfloat16 copies of its input and weights, and its output returns to float32, so the
/// weights, their gradients, the optimiser, normalisation, softmax and the loss all stay float32 (Micikevicius et al.
/// 2018; bfloat16 needs no loss scaling). Worth it on GPUs with bf16 tensor cores; it runs, slower, on a CPU.
/// </summary>
internal static class MixedPrecision
{
    /// <summary><paramref name="layer"/> applied to <paramref name="x"/>, in <paramref name="computeType"/> if given.</summary>
    public static Tensor Linear(Linear layer, Tensor x, ScalarType? computeType)
    {
        if (computeType is not { } type) return layer.forward(x);
        using var scope = NewDisposeScope();
        var output = nn.functional.linear(x.to(type), layer.weight!.to(type), layer.bias?.to(type));
        return output.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}

/// <summary>A module whose projections can compute in a lower precision (see <see cref="MixedPrecision"/>).</summary>
internal interface IMixedPrecisionModule
{
    /// <summary>The type the projections compute in; null = float32, as the weights.</summary>
    ScalarType? ComputeType { get; set; }
}
