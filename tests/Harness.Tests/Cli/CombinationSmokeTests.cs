using System.Text.Json.Nodes;

namespace Harness.Tests.Cli;

/// <summary>The combinations the README names as meaningful run end to end at a tiny size and report every strategy.</summary>
[Collection(TorchCollection.Name)]
public sealed class CombinationSmokeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("replay,distillation", "  - {type: replay, buffer_size: 8}\n  - {type: distillation, weight: 1.0}")]
    [InlineData("rehearsal,distillation", "  - {type: rehearsal, fraction: 0.5}\n  - {type: distillation}")]
    [InlineData("adapters,replay", "  - {type: adapters, rank: 2, targets: [q, v, head]}\n  - {type: replay, buffer_size: 8, replay_ratio: 0.5}")]
    [InlineData("isolation,rehearsal", "  - {type: isolation, shared_rank: 2, rank: 2, domain_targets: [q, head, tok_emb]}\n  - {type: rehearsal, per_domain: 4}")]
    [InlineData("ewc,replay", "  - {type: ewc, lambda: 10, online: true, gamma: 0.9}\n  - {type: replay, buffer_size: 8}")]
    [InlineData("rehearsal,replay,distillation", "  - {type: rehearsal, fraction: 0.25}\n  - {type: replay, buffer_size: 8, store_logits: true, refresh_logits: true}\n  - {type: distillation}")]
    public void Combination_RunsToTheEnd_AndReportsEachStrategy(string types, string strategies)
    {
        // Given the tiny config with this strategy list
        var config = TinyConfig.WriteTo(_dir, $"{types.Replace(',', '-')}.yaml", TinyConfig.Yaml(name: types.Replace(',', '-'), strategies: strategies));
        // When it runs
        var result = CliResult.Run(config, "--out", _dir.File("run"), "--cache-dir", _dir.File("cache"), "--device", "cpu");
        // Then it completes, and each strategy that reports is in metrics.json
        Assert.True(result.ExitCode == 0, result.ToString());
        var report = JsonNode.Parse(File.ReadAllText(_dir.File("run/metrics.json")))!["strategy_report"]!;
        foreach (var type in types.Split(','))
            Assert.True(report[type] is not null, $"no report for {type}: {report}");
    }
}
