using Harness.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

/// <summary>Clipping on the device computes what libtorch's clip_grad_norm_ computes, to the bit.</summary>
[Collection(TorchCollection.Name)]
public sealed class GradientClippingTests
{
    /// <summary>Two parameters with seeded gradients of joint norm ≈ <paramref name="scale"/>·√(numel).</summary>
    private static List<Parameter> WithGradients(double scale)
    {
        manual_seed(7);
        var parameters = new List<Parameter> { new(randn(5, 3)), new(randn(4)) };
        foreach (var p in parameters) (p * randn_like(p) * scale).sum().backward();
        return parameters;
    }

    [Theory]
    [InlineData(10.0, 1.0)] // clipped
    [InlineData(0.01, 1.0)] // below the limit: unchanged
    public void ClipByNorm_MatchesLibtorchClipGradNorm_BitForBit(double scale, double maxNorm)
    {
        // Given the same gradients twice
        var ours = WithGradients(scale);
        var theirs = WithGradients(scale);
        // When one set is clipped on the device and the other by TorchSharp's clip_grad_norm_
        using var norm = GradientClipping.ClipByNorm(ours, maxNorm);
        double expectedNorm = nn.utils.clip_grad_norm_(theirs, maxNorm);
        // Then the norms and every clipped gradient are identical
        Assert.Equal(expectedNorm, norm.item<float>());
        for (int i = 0; i < ours.Count; i++)
            Assert.Equal(theirs[i].grad!.data<float>().ToArray(), ours[i].grad!.data<float>().ToArray());
        if (scale > 1) Assert.True(norm.item<float>() > maxNorm); // the clipped case really clipped
    }
}
