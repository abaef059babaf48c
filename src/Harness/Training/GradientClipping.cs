using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Global-norm gradient clipping (Pascanu et al. 2013), the same arithmetic as <c>torch.nn.utils.clip_grad_norm_</c>,
/// but the total norm stays a device tensor: TorchSharp's returns it as a double, which waits for the device every step.
/// </summary>
internal static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> so their joint L2 norm is at most <paramref name="maxNorm"/>;
    /// returns that norm before clipping (a 0-dim tensor on the parameters' device).
    /// </summary>
    public static Tensor ClipByNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        using var noGrad = no_grad();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return zeros([], ScalarType.Float32, parameters[0].device);
        using var scope = NewDisposeScope();
        var total = grads.Count == 1 ? grads[0].norm() : stack(grads.Select(g => g.norm())).norm(); // L2
        // max / (norm + 1e-6) clamped at 1, as libtorch does it: a full tensor of max divided by the norm.
        var coefficient = full_like(total, maxNorm).div_(total + 1e-6).clamp_max_(1.0);
        foreach (var grad in grads) grad.mul_(coefficient);
        return total.MoveToOuterDisposeScope();
    }
}
