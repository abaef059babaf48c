using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>
/// A task's view of a shared image tensor ([N, H·W] floats in [0, 1] on the run's device, built once per process):
/// the images as they are, with a fixed pixel permutation (Permuted MNIST, Goodfellow et al. 2013) or rotated by a
/// fixed angle counter-clockwise (Rotated MNIST, Lopez-Paz &amp; Ranzato 2017). The transform is applied to each gathered batch, so a
/// task costs no copy of the data set.
/// </summary>
internal sealed class ImageView : IDisposable
{
    private readonly Tensor _pixels;
    private readonly Tensor? _permutation;
    private readonly Tensor? _rotation;
    private readonly int _height, _width;

    /// <summary>A view of <paramref name="pixels"/> ([N, height·width]); at most one of the transforms.</summary>
    public ImageView(Tensor pixels, int height, int width, long[]? permutation = null, double angleDegrees = 0)
    {
        if (permutation is not null && angleDegrees != 0) throw new ArgumentException("a view permutes or rotates, not both");
        (_pixels, _height, _width) = (pixels, height, width);
        if (permutation is not null)
            _permutation = tensor(permutation, ScalarType.Int64).to(pixels.device).DetachFromDisposeScope();
        if (angleDegrees != 0)
        {
            // Counter-clockwise as displayed (row 0 at the top), as torchvision's rotate that GEM's Rotated MNIST used.
            // affine_grid maps output to input coordinates with y pointing down, so this matrix is the inverse map.
            double radians = angleDegrees * Math.PI / 180;
            float cos = (float)Math.Cos(radians), sin = (float)Math.Sin(radians);
            _rotation = tensor(new[] { cos, -sin, 0f, sin, cos, 0f }, [1, 2, 3]).to(pixels.device).DetachFromDisposeScope();
        }
        Description = permutation is not null ? "permuted" : angleDegrees != 0 ? $"rotated {angleDegrees:0.##}°" : "plain";
    }

    /// <summary>plain, permuted or rotated N°.</summary>
    public string Description { get; }

    /// <summary>Pixels per image.</summary>
    public int Features => _height * _width;

    /// <summary>The images at <paramref name="rows"/> ([B] int64 on the device) through this view: [B, H·W].</summary>
    public Tensor Gather(Tensor rows)
    {
        var images = _pixels.index_select(0, rows); // [B, H·W]
        if (_permutation is not null) return images.index_select(1, _permutation);
        if (_rotation is null) return images;
        long batch = rows.shape[0];
        var square = images.view(batch, 1, _height, _width); // [B, 1, H, W]
        var grid = nn.functional.affine_grid(_rotation.expand(batch, 2, 3), [batch, 1, _height, _width], align_corners: false);
        return nn.functional.grid_sample(square, grid, align_corners: false).view(batch, Features); // zeros outside
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _permutation?.Dispose();
        _rotation?.Dispose();
    }
}
