using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Training;

namespace Harness.Tests.Cli;

/// <summary>
/// Every config in configs/ runs end to end with its own strategies, curriculum sources and keywords, shrunk to a tiny
/// model, tiny data and two epochs: a config that no longer loads or a strategy combination that crashes fails here.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ShippedConfigSmokeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string ConfigsFolder() => Path.Combine(
        DataPaths.Repository() ?? throw new DirectoryNotFoundException("configs/ (no Harness.sln above the test folder)"), "configs");

    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ConfigsFolder(), "*.yaml").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void ShippedConfig_AtTinySize_RunsToTheEnd(string fileName)
    {
        // Given the shipped config, shrunk
        // Image configs name the data cache, which tests do not fetch: the run below reads the fixture instead.
        var loaded = ConfigLoader.Load(Path.Combine(ConfigsFolder(), fileName), requireData: false);
        var config = loaded.Config;
        var tiny = loaded with
        {
            Config = config with
            {
                Device = "cpu",
                Model = config.Model with { DModel = 32, Layers = 1, Heads = 2 },
                Pretrain = config.Pretrain with { Steps = 3, BatchSize = 8 },
                Curriculum = config.Curriculum.Select(d => d with { TrainSize = 16, TestSize = 4, HeldoutSize = Math.Min(d.HeldoutSize, 4), Epochs = null }).ToList(),
                Training = config.Training with { BatchSize = 8, Epochs = 2, LogEvery = 100 },
                Evaluation = config.Evaluation with { BatchSize = 32 },
                // Image benchmarks read the committed MNIST fixture instead of the data cache, a few images per task.
                Benchmark = config.Benchmark is null ? null
                    : config.Benchmark with { Data = DataPaths.MnistFixture, TrainSize = 24, TestSize = 8, Tasks = Math.Min(config.Benchmark.Tasks, 3) },
            },
        };
        // When it runs
        var output = new StringWriter();
        var runner = new ExperimentRunner(output, interactive: false) { CacheDirectory = _dir.File("cache") };
        var directory = runner.Run(tiny, _dir.File(Path.GetFileNameWithoutExtension(fileName)));
        // Then it completed, with one matrix row per stage and a report entry per strategy that reports
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "metrics.json")))!;
        Assert.Equal("completed", metrics["status"]!.GetValue<string>());
        bool joint = config.Strategies.Any(s => s is JointStrategyConfig);
        int domains = config.Benchmark is null ? config.Curriculum.Count : metrics["domains"]!.AsArray().Count;
        Assert.Equal(joint ? 2 : domains + 1, metrics["stages"]!.AsArray().Count);
        foreach (var strategy in config.Strategies.Where(s => s is not (NaiveStrategyConfig or JointStrategyConfig)))
            Assert.True(metrics["strategy_report"]![strategy.Type] is not null, $"{fileName}: no report for {strategy.Type}");
    }
}
