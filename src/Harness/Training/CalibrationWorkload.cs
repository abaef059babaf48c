using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// A fixed fp32 matrix product timed on the run's device, in GFLOP/s. Throughput divided by it
/// (<c>normalized_tokens_per_second</c>) is comparable across machines and across busy and quiet hours, so the nightly
/// gate can tell a slower harness from a slower or busier machine: both slow the calibration too.
/// The best of several short repeats is taken, because a single descheduled repeat on a shared machine would otherwise
/// move the normalised figure by a fifth (seen with the median of five: 216 instead of 300 GFLOP/s once in 42 runs).
/// </summary>
internal static class CalibrationWorkload
{
    private const int Size = 512;
    private const int ProductsPerRepeat = 8;
    private const int Repeats = 9;

    /// <summary>The best GFLOP/s of <see cref="Repeats"/> timed batches of products on <paramref name="device"/>.</summary>
    public static double Measure(Device device)
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(1234, device);
        var a = torch.rand([Size, Size], generator: generator, device: device);
        var b = torch.rand([Size, Size], generator: generator, device: device);
        Product(a, b); // warm-up: thread pool and allocator
        double best = 0;
        for (int r = 0; r < Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            Product(a, b);
            best = Math.Max(best, 2.0 * Size * Size * Size * ProductsPerRepeat / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    private static void Product(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        var x = a;
        for (int i = 0; i < ProductsPerRepeat; i++) x = torch.mm(a, b);
        // Reading one value waits for an asynchronous device (CUDA) to finish the products being timed.
        _ = x[0, 0].item<float>();
    }
}
