using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>A data set's images with their pixels as device tensors ([N, H·W] float32 in [0, 1]), owned by the <see cref="ImageDataCache"/>.</summary>
internal sealed record ImageTensors(ImageSet Train, ImageSet Test, Tensor TrainPixels, Tensor TestPixels);
