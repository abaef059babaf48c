using Harness.Benchmarks;
using Harness.Models;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

/// <summary>
/// The smallest image task a <see cref="StepLoop"/> can train: four random 2×2 images of two alternating classes and a
/// 4→3→2 MLP, all drawn from <c>seed</c>.
/// </summary>
internal sealed class TinyImageTask : IDisposable
{
    private readonly Tensor _pixels;
    private readonly ImageView _view;

    public TinyImageTask(int seed)
    {
        torch.manual_seed(seed);
        _pixels = rand(4, 4);
        _view = new ImageView(_pixels, 2, 2);
        Model = new MlpClassifier(4, [3], 2);
        Samples = Enumerable.Range(0, 4).Select(r => TrainingSample.FromImage(new ImageExample(_view, r, r % 2), 0)).ToList();
    }

    /// <summary>The model to train.</summary>
    public MlpClassifier Model { get; }

    /// <summary>The four samples, one batch.</summary>
    public IReadOnlyList<TrainingSample> Samples { get; }

    /// <summary>Every weight of the model, flattened in parameter order.</summary>
    public float[] Weights() => Model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    public void Dispose()
    {
        Model.Dispose();
        _view.Dispose();
        _pixels.Dispose();
    }
}
