using Harness.Benchmarks;
using Harness.Config;
using Harness.Data;

namespace Harness.Tests.Benchmarks;

public sealed class ImageDataStoreTests
{
    [Fact]
    public void LoadDirectory_MnistFixture_ReadsGzipTrainAndTest()
    {
        // When the committed fixture folder (only .gz files) is loaded
        var (train, test) = ImageDataStore.LoadDirectory(DataPaths.MnistFixture);

        // Then both sets come back with their counts
        Assert.Equal((500, 200), (train.Count, test.Count));
        Assert.Equal((10, 10), (train.Classes, test.Classes));
    }

    [Fact]
    public void Load_RawFilesUnderRoot_ReadsThem()
    {
        // Given <root>/mnist/ holding the four raw IDX files
        using var temp = new TempDirectory();
        var (train, test) = ImageDataStore.LoadDirectory(DataPaths.MnistFixture);
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "mnist")).FullName;
        IdxFile.WriteImages(Path.Combine(folder, ImageDataStore.TrainImages), train);
        IdxFile.WriteLabels(Path.Combine(folder, ImageDataStore.TrainLabels), train);
        IdxFile.WriteImages(Path.Combine(folder, ImageDataStore.TestImages), test);
        IdxFile.WriteLabels(Path.Combine(folder, ImageDataStore.TestLabels), test);

        // When the dataset is loaded from that root
        var loaded = ImageDataStore.Load("mnist", temp.Path);

        // Then it is the same data
        Assert.Equal(train.Pixels, loaded.Train.Pixels);
        Assert.Equal(test.Labels, loaded.Test.Labels);
    }

    [Fact]
    public void Load_NoCachedData_NamesFolderAndCommandToRun()
    {
        // Given an empty data root
        using var temp = new TempDirectory();

        // Then loading Fashion-MNIST tells which command fetches it into that root
        var e = Assert.Throws<HarnessInputException>(() => ImageDataStore.Load("fashion-mnist", temp.Path));
        Assert.Equal($"fashion-mnist data not found in {Path.Combine(temp.Path, "fashion-mnist")}: " +
                     $"run ./run.sh data fashion-mnist --dir {temp.Path}", e.Message);
    }

    [Fact]
    public void Load_UnknownDataset_ListsTheKnownOnes()
    {
        var e = Assert.Throws<HarnessInputException>(() => ImageDataStore.Load("cifar10", "/nonexistent"));
        Assert.Equal("unknown dataset 'cifar10' (expected mnist or fashion-mnist)", e.Message);
    }

    [Fact]
    public void LoadDirectory_MissingFile_NamesBothAcceptedNames()
    {
        // Given a folder with only the training pair
        using var temp = new TempDirectory();
        foreach (var name in new[] { ImageDataStore.TrainImages, ImageDataStore.TrainLabels })
            File.Copy(Path.Combine(DataPaths.MnistFixture, name + ".gz"), temp.File(name + ".gz"));

        // Then the missing test images are named, raw or .gz
        var e = Assert.Throws<HarnessInputException>(() => ImageDataStore.LoadDirectory(temp.Path));
        Assert.Equal($"{temp.Path}: neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz found", e.Message);
    }
}
