using Harness.Benchmarks;
using Harness.Config;
using Harness.Models;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Bench;

/// <summary>
/// The MLP workload: configs/split-mnist.yaml (Hsu et al.'s MLP, Adam, batch 128, class-incremental, naive) over
/// its five tasks, each capped at <c>trainSize</c> images and trained <c>epochs</c> epochs, the whole run timed without
/// evaluation. A warm-up run records every batch for the bare loop and the PyTorch reference.
/// </summary>
internal sealed class MlpBench : IDisposable
{
    private readonly ImageDataCache _images = new();
    private readonly ImageBenchmark _benchmark;
    private readonly Device _device;

    /// <summary>The split-mnist config as the bench runs it (data folder, train cap and epochs set).</summary>
    public ExperimentConfig Config { get; }

    /// <summary>Input pixels per image.</summary>
    public int Features => _benchmark.Features;

    /// <summary>Output classes.</summary>
    public int Outputs => _benchmark.Outputs;

    /// <summary>Every batch of the warm-up run, in training order.</summary>
    public IReadOnlyList<IReadOnlyList<TrainingSample>> Recorded { get; }

    private MlpBench(LoadedConfig loaded, Device device)
    {
        (Config, _device) = (loaded.Config, device);
        _benchmark = ImageBenchmark.Prepare(loaded, _images, device);
        var recorder = new BatchRecorder(_ => true);
        using var model = NewModel();
        BenchTraining.Trainer(model, device, Config, _benchmark.Curriculum, tokenizer: null, recorder);
        Recorded = recorder.Batches;
    }

    /// <summary>
    /// configs/split-mnist.yaml from <paramref name="configsDirectory"/> over the MNIST files in <paramref name="mnistDirectory"/>
    /// (null: the data cache), <paramref name="trainSize"/> images a task, <paramref name="epochs"/> epochs.
    /// </summary>
    public static MlpBench Prepare(string configsDirectory, string? mnistDirectory, int trainSize, int epochs, Device device)
    {
        var loaded = ConfigLoader.Load(Path.Combine(configsDirectory, "split-mnist.yaml"), requireData: mnistDirectory is null);
        var config = loaded.Config;
        var benchmark = config.Benchmark! with { Data = mnistDirectory is null ? null : Path.GetFullPath(mnistDirectory), TrainSize = trainSize };
        return new MlpBench(loaded with { Config = config with { Benchmark = benchmark, Training = config.Training with { Epochs = epochs } } }, device);
    }

    /// <summary>The Harness trainer over every task.</summary>
    public BenchSample Train()
    {
        using var model = NewModel();
        var boundaries = BenchTraining.Trainer(model, _device, Config, _benchmark.Curriculum, tokenizer: null);
        return BenchTraining.Between(boundaries, 0, boundaries.Count - 1);
    }

    /// <summary>The bare TorchSharp loop over <see cref="Recorded"/>.</summary>
    public BenchSample Bare()
    {
        using var model = NewModel();
        return BenchTraining.BareLoop(model, _device, Recorded, Config.Training);
    }

    private MlpClassifier NewModel()
    {
        torch.manual_seed(Config.Seed);
        var model = new MlpClassifier(Features, Config.Model.Hidden, Outputs);
        model.to(_device);
        return model;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _benchmark.Dispose();
        _images.Dispose();
    }
}
