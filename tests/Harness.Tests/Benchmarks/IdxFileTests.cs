using System.IO.Compression;
using Harness.Benchmarks;
using Harness.Config;
using Harness.Data;

namespace Harness.Tests.Benchmarks;

public sealed class IdxFileTests
{
    private static string Fixture(string name) => Path.Combine(DataPaths.MnistFixture, name + ".gz");

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        gzip.CopyTo(raw);
        return raw.ToArray();
    }

    [Fact]
    public void Read_MnistFixtureTrain_HasPythonCheckedCountsLabelsAndPixels()
    {
        // When the gzip training pair of the fixture is read
        var train = IdxFile.Read(Fixture(ImageDataStore.TrainImages), Fixture(ImageDataStore.TrainLabels));

        // Then it has 500 images of 28x28, 50 of each of 10 digits, in MNIST's original order
        Assert.Equal((500, 28, 28, 10), (train.Count, train.Height, train.Width, train.Classes));
        Assert.All(Enumerable.Range(0, 10), digit => Assert.Equal(50, train.Labels.Count(l => l == digit)));
        Assert.Equal(new byte[] { 5, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5 }, train.Labels[..12]);
        // and the pixel values agree with those Python read from the same files (data/mnist-fixture/DATA.md)
        Assert.Equal(240, train.Image(0)[14 * 28 + 14]);
        Assert.Equal(27_525, train.Image(0).ToArray().Sum(p => p));
        Assert.Equal(12_843_339L, train.Pixels.Sum(p => (long)p));
    }

    [Fact]
    public void Read_MnistFixtureTest_Has20PerDigit()
    {
        // When the gzip test pair is read
        var test = IdxFile.Read(Fixture(ImageDataStore.TestImages), Fixture(ImageDataStore.TestLabels));

        // Then it has 200 images, 20 per digit, starting with MNIST's first test labels
        Assert.Equal(200, test.Count);
        Assert.All(Enumerable.Range(0, 10), digit => Assert.Equal(20, test.Labels.Count(l => l == digit)));
        Assert.Equal(new byte[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6 }, test.Labels[..12]);
    }

    [Fact]
    public void Read_RawAndGzipOfSameFiles_GiveIdenticalSets()
    {
        // Given the fixture's training pair decompressed to raw files (with names that do not say gzip either way)
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("images"), Gunzip(Fixture(ImageDataStore.TrainImages)));
        File.WriteAllBytes(temp.File("labels"), Gunzip(Fixture(ImageDataStore.TrainLabels)));
        File.Copy(Fixture(ImageDataStore.TrainImages), temp.File("images-compressed"));
        File.Copy(Fixture(ImageDataStore.TrainLabels), temp.File("labels-compressed"));

        // When both are read
        var raw = IdxFile.Read(temp.File("images"), temp.File("labels"));
        var gzip = IdxFile.Read(temp.File("images-compressed"), temp.File("labels-compressed"));

        // Then the content is the same (gzip is recognised by its magic bytes, not the name)
        Assert.Equal((raw.Count, raw.Height, raw.Width), (gzip.Count, gzip.Height, gzip.Width));
        Assert.Equal(raw.Pixels, gzip.Pixels);
        Assert.Equal(raw.Labels, gzip.Labels);
    }

    [Fact]
    public void WriteImagesAndLabels_ThenRead_RoundTripsAndWritesTheIdxHeader()
    {
        // Given a hand-made set of 3 images of 2x4 pixels
        using var temp = new TempDirectory();
        var pixels = Enumerable.Range(0, 24).Select(i => (byte)(i * 10)).ToArray();
        var set = new ImageSet(pixels, [2, 0, 1], 3, 2, 4);

        // When it is written and read back
        IdxFile.WriteImages(temp.File("i"), set);
        IdxFile.WriteLabels(temp.File("l"), set);
        var back = IdxFile.Read(temp.File("i"), temp.File("l"));

        // Then the header is big-endian magic, count, rows, columns and the content survives
        Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4 }, File.ReadAllBytes(temp.File("i"))[..16]);
        Assert.Equal(new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 2, 0, 1 }, File.ReadAllBytes(temp.File("l")));
        Assert.Equal((3, 2, 4, 3), (back.Count, back.Height, back.Width, back.Classes));
        Assert.Equal(pixels, back.Pixels);
        Assert.Equal(new byte[] { 2, 0, 1 }, back.Labels);
        Assert.Equal(new byte[] { 80, 90, 100, 110, 120, 130, 140, 150 }, back.Image(1).ToArray());
    }

    [Fact]
    public void Read_BadMagic_NamesFileAndMagic()
    {
        // Given an images file whose magic says labels (0x801)
        using var temp = new TempDirectory();
        var (images, labels) = RawTrainPair(temp);
        var bytes = File.ReadAllBytes(images);
        bytes[3] = 0x01;
        File.WriteAllBytes(images, bytes);

        // Then reading it is bad input naming the file and both magic numbers
        var e = Assert.Throws<HarnessInputException>(() => IdxFile.Read(images, labels));
        Assert.Contains(images, e.Message);
        Assert.Contains("magic number 0x00000801, expected 0x00000803", e.Message);
    }

    [Fact]
    public void Read_TruncatedImages_NamesFileAndLengths()
    {
        // Given the images file missing its last byte
        using var temp = new TempDirectory();
        var (images, labels) = RawTrainPair(temp);
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..^1]);

        // Then the error names the file, its length and the length the header announces (16 + 500*784 = 392,016)
        var e = Assert.Throws<HarnessInputException>(() => IdxFile.Read(images, labels));
        Assert.Contains(images, e.Message);
        Assert.Contains("392015 bytes", e.Message);
        Assert.Contains("392016 bytes (truncated)", e.Message);
    }

    [Fact]
    public void Read_TruncatedGzip_IsBadInputNamingFile()
    {
        // Given a gzip images file cut in half
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixture(ImageDataStore.TrainImages));
        File.WriteAllBytes(temp.File("images.gz"), bytes[..(bytes.Length / 2)]);

        // Then it is bad input naming the file (not an EndOfStream crash)
        var e = Assert.Throws<HarnessInputException>(() => IdxFile.Read(temp.File("images.gz"), Fixture(ImageDataStore.TrainLabels)));
        Assert.Contains(temp.File("images.gz"), e.Message);
    }

    [Fact]
    public void Read_LabelCountDiffersFromImageCount_NamesBothFiles()
    {
        // Given 500 training images paired with the 200 test labels
        var images = Fixture(ImageDataStore.TrainImages);
        var labels = Fixture(ImageDataStore.TestLabels);

        // Then the mismatch is bad input naming both files and both counts
        var e = Assert.Throws<HarnessInputException>(() => IdxFile.Read(images, labels));
        Assert.Contains($"{labels}: 200 labels, but {images} holds 500 images", e.Message);
    }

    [Fact]
    public void Read_MissingFile_NamesIt()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<HarnessInputException>(() => IdxFile.Read(temp.File("nope"), Fixture(ImageDataStore.TrainLabels)));
        Assert.Equal($"{temp.File("nope")}: file not found", e.Message);
    }

    private static (string Images, string Labels) RawTrainPair(TempDirectory temp)
    {
        File.WriteAllBytes(temp.File("images"), Gunzip(Fixture(ImageDataStore.TrainImages)));
        File.WriteAllBytes(temp.File("labels"), Gunzip(Fixture(ImageDataStore.TrainLabels)));
        return (temp.File("images"), temp.File("labels"));
    }
}
