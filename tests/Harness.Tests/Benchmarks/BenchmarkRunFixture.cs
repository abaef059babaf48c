using Harness.Data;
using Harness.Tests.Cli;

namespace Harness.Tests.Benchmarks;

/// <summary>
/// Split MNIST on the committed fixture, run once per scenario (task, domain, class) through the CLI with naive
/// fine-tuning: an MLP of one hidden layer of 64, 4 epochs of 100 images per task. About a second each.
/// </summary>
public sealed class BenchmarkRunFixture : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, (CliResult Cli, string Directory)> _runs = [];

    /// <summary>The run of <paramref name="scenario"/>, made on first use.</summary>
    public (CliResult Cli, string Directory) Run(string scenario)
    {
        lock (_runs)
        {
            if (_runs.TryGetValue(scenario, out var run)) return run;
            var config = _dir.Write($"{scenario}.yaml", $"""
                name: split-{scenario}
                seed: 0
                device: cpu
                model: {"{"}type: mlp, hidden: [64]{"}"}
                benchmark: {"{"}name: split_mnist, scenario: {scenario}, data: "{DataPaths.MnistFixture}"{"}"}
                training: {"{"}batch_size: 32, epochs: 4, lr: 0.002, weight_decay: 0, adam_eps: 1e-8, decay_fraction: 0, grad_clip: 0{"}"}
                evaluation: {"{"}batch_size: 1000{"}"}
                strategies: [{"{"}type: naive{"}"}]

                """);
            var directory = _dir.File("run-" + scenario);
            run = (CliResult.Run(config, "--out", directory), directory);
            _runs[scenario] = run;
            return run;
        }
    }

    public void Dispose() => _dir.Dispose();
}
