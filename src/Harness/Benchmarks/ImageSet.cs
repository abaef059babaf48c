namespace Harness.Benchmarks;

/// <summary>
/// A set of same-sized greyscale images with one class label each, as an IDX file pair holds them:
/// <see cref="Pixels"/> is <see cref="Count"/>×<see cref="Height"/>×<see cref="Width"/> bytes (0..255), row-major,
/// image after image; <see cref="Labels"/> is one byte per image.
/// </summary>
/// <remarks>
/// The properties are get-only (no <c>with</c>), so <see cref="Classes"/>, computed once at construction, can never
/// disagree with <see cref="Labels"/>. Equality compares the arrays by reference, as records do.
/// </remarks>
internal sealed record ImageSet(byte[] Pixels, byte[] Labels, int Count, int Height, int Width)
{
    /// <summary>The pixels, image after image, each row-major.</summary>
    public byte[] Pixels { get; } = Pixels.LongLength == (long)Count * Height * Width && Count >= 0 && Height >= 0 && Width >= 0
        ? Pixels
        : throw new ArgumentException($"{Pixels.LongLength} pixel bytes do not make {Count} images of {Height}x{Width}", nameof(Pixels));

    /// <summary>One label per image.</summary>
    public byte[] Labels { get; } = Labels.Length == Count
        ? Labels
        : throw new ArgumentException($"{Labels.Length} labels for {Count} images", nameof(Labels));

    /// <summary>The number of images.</summary>
    public int Count { get; } = Count;

    /// <summary>Rows per image.</summary>
    public int Height { get; } = Height;

    /// <summary>Columns per image.</summary>
    public int Width { get; } = Width;

    /// <summary>Largest label + 1 (0 for an empty set): the classifier's output size.</summary>
    public int Classes { get; } = Labels.Length == 0 ? 0 : Labels.Max() + 1;

    /// <summary>Bytes per image (<see cref="Height"/>×<see cref="Width"/>).</summary>
    public int ImageSize => Height * Width;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);
}
