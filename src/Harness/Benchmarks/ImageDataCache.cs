using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>
/// Image data sets read once and turned into device tensors once per process: a suite's runs share them instead of
/// re-reading 47 MB of IDX per run. Keyed by data source and device; disposing the cache frees the tensors.
/// </summary>
internal sealed class ImageDataCache : IDisposable
{
    private readonly Dictionary<(string Source, string Device), ImageTensors> _tensors = [];

    /// <summary>
    /// The train and test images of <paramref name="dataset"/> (mnist, fashion-mnist) from the data cache, or from the
    /// IDX files in <paramref name="directory"/> when given, on <paramref name="device"/>.
    /// </summary>
    public ImageTensors Get(string dataset, string? directory, Device device)
    {
        var key = (directory is null ? $"cache:{dataset}" : Path.GetFullPath(directory), device.ToString());
        if (_tensors.TryGetValue(key, out var cached)) return cached;
        var (train, test) = directory is null ? ImageDataStore.Load(dataset) : ImageDataStore.LoadDirectory(directory);
        var tensors = new ImageTensors(train, test, ToDevice(train, device), ToDevice(test, device));
        _tensors[key] = tensors;
        return tensors;
    }

    /// <summary>[N, H·W] float32 pixels in [0, 1].</summary>
    private static Tensor ToDevice(ImageSet set, Device device)
    {
        using var scope = NewDisposeScope();
        var bytes = tensor(set.Pixels, [set.Count, set.Height * set.Width], ScalarType.Byte);
        return bytes.to(device).to_type(ScalarType.Float32).div_(255f).MoveToOuterDisposeScope().DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensors in _tensors.Values)
        {
            tensors.TrainPixels.Dispose();
            tensors.TestPixels.Dispose();
        }
        _tensors.Clear();
    }
}
