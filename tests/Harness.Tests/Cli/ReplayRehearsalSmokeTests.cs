using System.Text.Json.Nodes;

namespace Harness.Tests.Cli;

/// <summary>
/// Every replay selection, DER++ and rehearsal run end to end through the CLI on the tiny config, from random weights
/// (no pretraining, so each run takes about a second), and report what they did in metrics.json.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ReplayRehearsalSmokeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs the tiny config with <paramref name="strategies"/>; returns the strategy report.</summary>
    private JsonObject Run(string strategies)
    {
        var config = TinyConfig.WriteTo(_dir, yaml: TinyConfig.Yaml(pretrain: "none", strategies: strategies,
            training: "{batch_size: 8, epochs: 2, lr: 0.003, log_every: 4}"));
        var outDirectory = _dir.File("run");
        var result = CliResult.Run(config, "--out", outDirectory, "--cache-dir", _dir.File("cache"), "--device", "cpu");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDirectory, "metrics.json")))!;
        return metrics["strategy_report"]!.AsObject();
    }

    [Theory]
    [InlineData("reservoir")]
    [InlineData("fifo")]
    [InlineData("balanced")]
    [InlineData("loss")]
    public void Run_ReplaySelection_FinishesAndReportsTheBuffer(string selection)
    {
        // When the tiny config runs with a buffer of 8
        var replay = Run($"  - {{type: replay, buffer_size: 8, selection: {selection}, replay_batch_size: 2}}")["replay"]!;

        // Then the buffer is full and reported; balanced and loss split it 4/4 between math and words
        Assert.Equal(selection, replay["selection"]!.GetValue<string>());
        Assert.Equal(8, replay["buffer_count"]!.GetValue<int>());
        Assert.True(replay["buffer_bytes"]!.GetValue<long>() > 8 * 4);
        Assert.Equal(48, replay["samples_seen"]!.GetValue<long>()); // 24 + 24, each offered once
        var perDomain = replay["per_domain"]!.AsObject();
        Assert.Equal(8, perDomain.Sum(p => p.Value!.GetValue<int>()));
        if (selection is "balanced" or "loss")
        {
            Assert.Equal(4, perDomain["math"]!.GetValue<int>());
            Assert.Equal(4, perDomain["words"]!.GetValue<int>());
        }
    }

    [Theory]
    [InlineData("reservoir")]
    [InlineData("loss")]
    public void Run_DerPlusPlus_StoresLogitsInTheBufferBytes(string selection)
    {
        // When DER++ runs (logits taken at the training step, or at the stage end for loss)
        var replay = Run($"  - {{type: replay, buffer_size: 8, selection: {selection}, store_logits: true, logit_weight: 0.3}}")["replay"]!;

        // Then logits are the bulk of the buffer's bytes and counted in its total
        long logits = replay["logit_bytes"]!.GetValue<long>(), tokens = replay["token_bytes"]!.GetValue<long>();
        Assert.True(logits > 10 * tokens, $"logits {logits} B, tokens {tokens} B");
        Assert.Equal(logits + tokens, replay["buffer_bytes"]!.GetValue<long>());
        Assert.Equal(0.3, replay["logit_weight"]!.GetValue<double>());
    }

    [Fact]
    public void Run_RehearsalWithReplay_ReportsMixedSamplesPerDomain()
    {
        // When rehearsal (a quarter of math's 24 training pairs) runs with replay
        var report = Run("  - {type: rehearsal, fraction: 0.25}\n  - {type: replay, buffer_size: 8}");

        // Then the words stage trained on 6 math samples besides its own, and replay still ran
        Assert.Equal(6, report["rehearsal"]!["stages"]!["words"]!["math"]!.GetValue<int>());
        Assert.Empty(report["rehearsal"]!["stages"]!["math"]!.AsObject());
        Assert.Equal(8, report["replay"]!["buffer_count"]!.GetValue<int>());
    }
}
