using Harness.Benchmarks;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Benchmarks;

/// <summary>A task's view of shared images: plain, a pixel permutation, or a rotation.</summary>
[Collection(TorchCollection.Name)]
public sealed class ImageViewTests
{
    /// <summary>Three 3×3 images: image i has the value 1 + i at (row 0, column 2) only, so each is asymmetric.</summary>
    private static Tensor TopRightDots()
    {
        var pixels = zeros(3, 9);
        for (int i = 0; i < 3; i++) pixels[i, 2] = tensor(1f + i);
        return pixels;
    }

    [Fact]
    public void Gather_Plain_ReturnsTheRowsAsTheyAre()
    {
        using var scope = NewDisposeScope();
        var pixels = arange(12, dtype: ScalarType.Float32).view(3, 4);
        using var view = new ImageView(pixels, 2, 2);

        var images = view.Gather(tensor(new long[] { 2, 0 }));

        Assert.Equal("plain", view.Description);
        Assert.Equal(new float[] { 8, 9, 10, 11, 0, 1, 2, 3 }, images.data<float>().ToArray());
    }

    [Fact]
    public void Gather_Permutation_ReturnsPixelsOfRowsInPermutedColumnOrder()
    {
        // Given 2×2 images 0..3, 4..7, 8..11 and the permutation [2, 0, 3, 1]
        using var scope = NewDisposeScope();
        var pixels = arange(12, dtype: ScalarType.Float32).view(3, 4);
        using var view = new ImageView(pixels, 2, 2, permutation: [2, 0, 3, 1]);

        // When rows 2 and 0 are gathered
        var images = view.Gather(tensor(new long[] { 2, 0 }));

        // Then pixels[[2, 0]][:, perm]: output pixel j is input pixel perm[j]
        Assert.Equal("permuted", view.Description);
        Assert.Equal([2L, 4L], images.shape);
        Assert.Equal(new float[] { 10, 8, 11, 9, 2, 0, 3, 1 }, images.data<float>().ToArray());
    }

    [Fact]
    public void Gather_Rotation90_MovesTopRightToTopLeft_CounterClockwiseAsDisplayed()
    {
        // Given 3×3 images whose only lit pixel is at the top right (row 0, column 2; row 0 drawn at the top)
        using var scope = NewDisposeScope();
        using var view = new ImageView(TopRightDots(), 3, 3, angleDegrees: 90);

        // When rotated by +90°
        var images = view.Gather(tensor(new long[] { 1, 0 })).view(2, 3, 3);

        // Then the dot lands at the top left (row 0, column 0): +θ turns the image counter-clockwise as displayed
        // (row 0 drawn at the top), as torchvision's rotate does for GEM's Rotated MNIST
        Assert.Equal("rotated 90°", view.Description);
        var expected = zeros(2, 3, 3);
        expected[0, 0, 0] = tensor(2f);
        expected[1, 0, 0] = tensor(1f);
        Assert.True(images.allclose(expected, rtol: 0, atol: 1e-5), string.Join(" ", images.data<float>().ToArray()));
    }

    [Fact]
    public void Gather_Rotation360_IsTheIdentity()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        var pixels = rand(4, 25);
        using var view = new ImageView(pixels, 5, 5, angleDegrees: 360);

        var images = view.Gather(tensor(new long[] { 3, 1 }));

        Assert.True(images.allclose(pixels.index_select(0, tensor(new long[] { 3, 1 })), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Constructor_PermutationAndAngle_Throws()
    {
        using var pixels = zeros(1, 4);

        Assert.Throws<ArgumentException>(() => new ImageView(pixels, 2, 2, permutation: [0, 1, 2, 3], angleDegrees: 90));
    }
}
