using System.Buffers.Binary;
using System.IO.Compression;
using Harness.Config;
using Harness.Metrics.IO;

namespace Harness.Benchmarks;

/// <summary>
/// The IDX format of the MNIST distribution (LeCun et al., http://yann.lecun.com/exdb/mnist/): a big-endian header
/// (magic 0x00000803 = unsigned bytes, 3 dimensions, then count, rows, columns for images; magic 0x00000801 then count
/// for labels) followed by the raw bytes. Files may be gzip-compressed (detected by the gzip magic bytes, not by name).
/// Every defect is a <see cref="HarnessInputException"/> naming the file.
/// </summary>
internal static class IdxFile
{
    /// <summary>Magic number of an unsigned-byte IDX file with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte IDX file with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    private const int ImagesHeader = 16;
    private const int LabelsHeader = 8;

    /// <summary>Reads an images file and its labels file (raw or gzip) into one set; their counts must agree.</summary>
    public static ImageSet Read(string imagesPath, string labelsPath)
    {
        var images = Content(imagesPath);
        var labels = Content(labelsPath);

        CheckHeader(images, imagesPath, ImagesMagic, ImagesHeader, "images (3 dimensions)");
        int imageCount = Dimension(images, imagesPath, 0);
        int height = Dimension(images, imagesPath, 1);
        int width = Dimension(images, imagesPath, 2);
        long expected = ImagesHeader + (long)imageCount * height * width;
        if (images.LongLength != expected)
            throw new HarnessInputException($"{imagesPath}: {images.LongLength} bytes, but the header announces {imageCount} images of " +
                                            $"{height}x{width} = {expected} bytes ({(images.LongLength < expected ? "truncated" : "trailing bytes")})");

        CheckHeader(labels, labelsPath, LabelsMagic, LabelsHeader, "labels (1 dimension)");
        int labelCount = Dimension(labels, labelsPath, 0);
        if (labels.LongLength != LabelsHeader + (long)labelCount)
            throw new HarnessInputException($"{labelsPath}: {labels.LongLength} bytes, but the header announces {labelCount} labels = " +
                                            $"{LabelsHeader + (long)labelCount} bytes ({(labels.LongLength < LabelsHeader + (long)labelCount ? "truncated" : "trailing bytes")})");
        if (labelCount != imageCount)
            throw new HarnessInputException($"{labelsPath}: {labelCount} labels, but {imagesPath} holds {imageCount} images");

        return new ImageSet(images[ImagesHeader..], labels[LabelsHeader..], imageCount, height, width);
    }

    /// <summary>Writes the images of <paramref name="set"/> as a raw (uncompressed) IDX file, atomically.</summary>
    public static void WriteImages(string path, ImageSet set) => AtomicFile.Write(path, stream =>
    {
        Span<byte> header = stackalloc byte[ImagesHeader];
        BinaryPrimitives.WriteInt32BigEndian(header, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], set.Count);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], set.Height);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], set.Width);
        stream.Write(header);
        stream.Write(set.Pixels);
    });

    /// <summary>Writes the labels of <paramref name="set"/> as a raw (uncompressed) IDX file, atomically.</summary>
    public static void WriteLabels(string path, ImageSet set) => AtomicFile.Write(path, stream =>
    {
        Span<byte> header = stackalloc byte[LabelsHeader];
        BinaryPrimitives.WriteInt32BigEndian(header, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], set.Count);
        stream.Write(header);
        stream.Write(set.Labels);
    });

    /// <summary>The file's bytes, decompressed when it starts with the gzip magic bytes 1f 8b.</summary>
    private static byte[] Content(string path)
    {
        if (!File.Exists(path)) throw new HarnessInputException($"{path}: file not found");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var raw = new MemoryStream();
            gzip.CopyTo(raw);
            return raw.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new HarnessInputException($"{path}: starts like a gzip file but does not decompress ({e.Message})");
        }
    }

    private static void CheckHeader(byte[] content, string path, int magic, int headerLength, string kind)
    {
        if (content.Length < headerLength)
            throw new HarnessInputException($"{path}: {content.Length} bytes, shorter than the {headerLength}-byte IDX header (truncated?)");
        int found = BinaryPrimitives.ReadInt32BigEndian(content);
        if (found != magic)
            throw new HarnessInputException($"{path}: magic number 0x{found:x8}, expected 0x{magic:x8} for IDX {kind}");
    }

    /// <summary>Size of dimension <paramref name="index"/> (0-based), stored big-endian after the magic number.</summary>
    private static int Dimension(byte[] content, string path, int index)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4 + 4 * index));
        if (value < 0) throw new HarnessInputException($"{path}: negative size {value} in the IDX header");
        return value;
    }
}
