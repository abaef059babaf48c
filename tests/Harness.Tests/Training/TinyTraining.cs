using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Tokenizers;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

/// <summary>Four tiny pairs, a char tokenizer and a one-layer GPT of width 32: enough to memorise in seconds.</summary>
internal sealed class TinyTraining : IDisposable
{
    public static readonly QaPair[] Pairs =
    [
        new("ab", "x"),
        new("ba", "yz"),
        new("cab", "zx"),
        new("bc", "xyy"),
    ];

    public TinyTraining(int seed = 0)
    {
        Tokenizer = CharTokenizer.Build(Pairs.SelectMany(p => new[] { p.Prompt, p.Answer }));
        Samples = Pairs.Select(p => TrainingSample.FromPair(p, 0, Tokenizer, 16, "tiny")).ToList();
        torch.manual_seed(seed);
        Model = new GptModel(new ModelConfig { DModel = 32, Layers = 1, Heads = 2, Context = 16 }, Tokenizer.VocabSize);
        Loop = new StepLoop(Model, CPU, Log, new TrainingConfig { LogEvery = 10, GradClip = 1.0 });
        Evaluator = new Evaluator(Tokenizer, CPU, batchSize: 3, tokenAccuracy: true);
    }

    public ITextTokenizer Tokenizer { get; }
    public IReadOnlyList<TrainingSample> Samples { get; }
    public GptModel Model { get; }
    public RunLog Log { get; } = new(TextWriter.Null, interactive: false);
    public StepLoop Loop { get; }
    public Evaluator Evaluator { get; }

    /// <summary>Trains <paramref name="steps"/> steps, every step on all four pairs.</summary>
    public void Train(int steps, double lr = 0.01) =>
        Loop.Run("tiny", steps, lr, _ => Samples, (_, _) => null, _ => { });

    public DomainScore Score() => Evaluator.Score(Model, Pairs, 0, "tiny");

    public void Dispose()
    {
        Model.Dispose();
        Log.Dispose();
    }
}
