using Harness.Tests.Cli;

namespace Harness.Tests.Config;

/// <summary>The replay and rehearsal options that need more than one key, checked when the config loads (exit 2).</summary>
public sealed class ReplayRehearsalOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliResult Validate(string strategies) =>
        CliResult.Run("validate", TinyConfig.WriteTo(_dir, yaml: TinyConfig.Yaml(strategies: strategies)));

    private static void AssertInputError(CliResult result, string key, string message)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StderrLines);
        Assert.Contains(key + ":", line);
        Assert.Contains(message, line);
    }

    [Fact]
    public void Validate_ReplayRatioAndReplayBatchSize_ExitsTwoNamingTheKey()
    {
        var result = Validate("  - {type: replay, replay_ratio: 0.25, replay_batch_size: 2}");
        AssertInputError(result, "strategies[0].replay_batch_size", "not both");
    }

    [Fact]
    public void Validate_ReplayBatchSizeNotBelowBatchSize_ExitsTwo()
    {
        // Given batch_size 8 in the tiny config
        var result = Validate("  - {type: replay, replay_batch_size: 8}");
        AssertInputError(result, "strategies[0].replay_batch_size", "below training.batch_size 8");
    }

    [Fact]
    public void Validate_LogitWeightWithoutStoreLogits_ExitsTwo()
    {
        var result = Validate("  - {type: replay, logit_weight: 0.3}");
        AssertInputError(result, "strategies[0].logit_weight", "store_logits: true");
    }

    [Fact]
    public void Validate_RefreshLogitsWithoutStoreLogits_ExitsTwo()
    {
        var result = Validate("  - {type: replay, refresh_logits: true}");
        AssertInputError(result, "strategies[0].refresh_logits", "store_logits: true");
    }

    [Fact]
    public void Validate_FractionAndPerDomain_ExitsTwo()
    {
        var result = Validate("  - {type: rehearsal, fraction: 0.2, per_domain: 5}");
        AssertInputError(result, "strategies[0].per_domain", "not both");
    }

    [Fact]
    public void Validate_RehearsalWithoutAmount_ExitsTwo()
    {
        var result = Validate("  - {type: rehearsal}");
        AssertInputError(result, "strategies[0].fraction", "give fraction or per_domain");
    }

    [Fact]
    public void Validate_FractionZero_ExitsTwo()
    {
        var result = Validate("  - {type: rehearsal, fraction: 0}");
        AssertInputError(result, "strategies[0].fraction", "above 0");
    }

    [Theory]
    [InlineData("  - {type: replay, buffer_size: 16, selection: loss, replay_batch_size: 2, store_logits: true, logit_weight: 0.3}")]
    [InlineData("  - {type: rehearsal, per_domain: 4}\n  - {type: replay, buffer_size: 16, selection: balanced}")]
    [InlineData("  - {type: replay, buffer_size: 16, store_logits: true, refresh_logits: true}")]
    public void Validate_ValidOptionsAndRehearsalWithReplay_ExitsZero(string strategies)
    {
        var result = Validate(strategies);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
