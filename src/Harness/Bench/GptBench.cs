using System.Diagnostics;
using Harness.Config;
using Harness.Models;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Bench;

/// <summary>
/// The GPT workloads on the default model and data (configs/naive.yaml, replay.yaml and distillation.yaml, which
/// differ only in strategies): two stages, the first domain for one epoch (it fills the replay buffer and becomes
/// the distillation teacher), then the second for <c>epochs</c> epochs, the stage that is timed. Every repeat starts
/// from the same freshly initialised model (speed does not depend on the weights, so no pretraining). A warm-up naive
/// run records the timed stage's batches for the bare loop and the PyTorch reference. Decoding uses a fresh model too:
/// it never says EOS, so every answer runs to its reference length + 1, the most the evaluator decodes on these test
/// sets.
/// </summary>
internal sealed class GptBench : IDisposable
{
    private readonly IReadOnlyDictionary<string, ExperimentConfig> _variants;
    private readonly PreparedRun _prepared;
    private readonly CurriculumSamples _curriculum;
    private readonly Device _device;

    /// <summary>The variants the bench trains: naive, replay, distillation.</summary>
    public static readonly string[] Variants = ["naive", "replay", "distillation"];

    /// <summary>The naive run's config (model, training settings).</summary>
    public ExperimentConfig Config => _variants["naive"];

    /// <summary>Vocabulary size of the default tokenizer on the default data.</summary>
    public int VocabSize => _prepared.Tokenizer.VocabSize;

    /// <summary>The timed stage's batches as the warm-up naive run collated them.</summary>
    public IReadOnlyList<IReadOnlyList<TrainingSample>> Recorded { get; }

    /// <summary>The model the decoding workloads run (freshly initialised).</summary>
    private readonly GptModel _decoder;

    /// <summary>Each domain's test questions (the default test sets), as the evaluator encodes them.</summary>
    public IReadOnlyList<IReadOnlyList<TrainingSample>> TestSamples { get; }

    private GptBench(IReadOnlyDictionary<string, ExperimentConfig> variants, PreparedRun prepared, int epochs, Device device)
    {
        (_variants, _prepared, _device) = (variants, prepared, device);
        _curriculum = new CurriculumSamples(prepared.Domains.Take(2).Select(d => d.Id).ToList(), prepared.TrainSamples.Take(2).ToList(), [1, epochs]);
        var recorder = new BatchRecorder(stage => stage == 1);
        using (var model = NewModel()) BenchTraining.Trainer(model, device, Config, _curriculum, prepared.Tokenizer, recorder);
        Recorded = recorder.Batches;
        _decoder = NewModel();
        TestSamples = prepared.Domains.Select((d, i) => (IReadOnlyList<TrainingSample>)
            d.Test.Select(p => TrainingSample.FromPair(p, i, prepared.Tokenizer, Config.Model.Context, d.Id)).ToList()).ToList();
    }

    /// <summary>Loads the three configs from <paramref name="configsDirectory"/> and runs the warm-up.</summary>
    public static GptBench Prepare(string configsDirectory, int epochs, Device device)
    {
        var loaded = Variants.ToDictionary(v => v, v => ConfigLoader.Load(Path.Combine(configsDirectory, $"{v}.yaml")));
        var prepared = PreparedRun.Prepare(loaded["naive"]);
        return new GptBench(loaded.ToDictionary(p => p.Key, p => p.Value.Config), prepared, epochs, device);
    }

    /// <summary>The bare TorchSharp loop over <see cref="Recorded"/>.</summary>
    public BenchSample Bare()
    {
        using var model = NewModel();
        return BenchTraining.BareLoop(model, _device, Recorded, Config.Training);
    }

    /// <summary>The Harness trainer with <paramref name="variant"/>'s strategies; the second stage's time.</summary>
    public BenchSample Train(string variant)
    {
        var config = _variants[variant];
        using var model = NewModel();
        return BenchTraining.Between(BenchTraining.Trainer(model, _device, config, _curriculum, _prepared.Tokenizer), 1, 2);
    }

    /// <summary>
    /// Greedy decoding of <see cref="TestSamples"/>, domain by domain in evaluation batches as the evaluator does, with or
    /// without the key/value cache; units are prompts.
    /// </summary>
    public BenchSample Decode(bool cached)
    {
        var clock = Stopwatch.StartNew();
        _ = Answers(cached);
        return new BenchSample(clock.Elapsed.TotalSeconds, 0, TestSamples.Sum(d => d.Count));
    }

    /// <summary>The decoded answers of <see cref="TestSamples"/>, domain after domain, the way <see cref="Decode"/> times them.</summary>
    public IReadOnlyList<int[]> Answers(bool cached)
    {
        _decoder.eval();
        using var noGrad = no_grad();
        return TestSamples.SelectMany(domain => domain.Chunk(Config.Evaluation.BatchSize))
            .SelectMany(chunk => cached ? GreedyDecoding.WithCache(_decoder, chunk, _device) : GreedyDecoding.Recomputing(_decoder, chunk, _device))
            .ToList();
    }

    private GptModel NewModel()
    {
        torch.manual_seed(Config.Seed);
        var model = new GptModel(Config.Model, VocabSize);
        model.to(_device);
        return model;
    }

    /// <inheritdoc />
    public void Dispose() => _decoder.Dispose();
}
