using Harness.Benchmarks;
using Harness.Data;
using static TorchSharp.torch;

namespace Harness.Tests.Benchmarks;

[Collection(TorchCollection.Name)]
public sealed class ImageDataCacheTests
{
    [Fact]
    public void Get_SameSourceTwice_ReadsOnceAndSharesTheTensors()
    {
        // Given one cache (a suite holds one for all its runs)
        using var cache = new ImageDataCache();

        // When two runs ask for the fixture on the CPU
        var first = cache.Get("mnist", DataPaths.MnistFixture, CPU);
        var second = cache.Get("mnist", DataPaths.MnistFixture, CPU);

        // Then they share the same sets and device tensors: [500, 784] floats in [0, 1]
        Assert.Same(first, second);
        Assert.Equal(new long[] { 500, 784 }, first.TrainPixels.shape);
        Assert.Equal(ScalarType.Float32, first.TrainPixels.dtype);
        Assert.True(first.TrainPixels.max().item<float>() <= 1f && first.TrainPixels.min().item<float>() >= 0f);
        Assert.Equal(first.Train.Pixels[14 * 28 + 14] / 255f, first.TrainPixels[0, 14 * 28 + 14].item<float>(), 6);
    }
}
