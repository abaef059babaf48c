using Harness.Tests.Cli;

namespace Harness.Tests.Config;

/// <summary>Adapter and isolation settings that cannot work are refused when the config loads (exit 2, file:line:col: key).</summary>
public sealed class AdapterConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (CliResult Result, string Path) Validate(string strategies, string curriculum = "  - {id: math, source: math, keywords: [\"+\"]}\n  - {id: poetry, source: poetry}")
    {
        var path = _dir.Write("bad.yaml", $"name: tiny\npretrain: none\ncurriculum:\n{curriculum}\nstrategies:\n{strategies}\n");
        return (CliResult.Run("validate", path), path);
    }

    private static void AssertInputError(CliResult result, string expectedStart, string expectedReason) =>
        Assert.Contains(expectedReason, result.InputErrorLine(expectedStart));

    [Fact]
    public void Validate_TwoAdapterStrategies_ExitsTwoAtTheSecond()
    {
        var (result, path) = Validate("  - type: adapters\n  - type: isolation");
        AssertInputError(result, $"{path}:8:5: strategies[1].type:", "cannot be combined with 'adapters'");
    }

    [Fact]
    public void Validate_UnknownTarget_NamesItAndTheValidOnes()
    {
        var (result, path) = Validate("  - {type: adapters, targets: [q, gate]}");
        AssertInputError(result, $"{path}:7:22: strategies[0].targets:", "unknown target 'gate' (expected any of q, k, v, o, mlp_up, mlp_down, head, tok_emb)");
    }

    [Fact]
    public void Validate_IsolationWithOverlappingTargets_ExitsTwo()
    {
        var (result, path) = Validate("  - {type: isolation, shared_targets: [mlp_up, q], domain_targets: [q, v]}");
        AssertInputError(result, $"{path}:7:52: strategies[0].domain_targets:", "'q' is also a shared target");
    }

    [Fact]
    public void Validate_KeywordRoutingWithoutKeywords_ExitsTwo()
    {
        var (result, path) = Validate("  - {type: adapters, routing: keyword}",
            curriculum: "  - {id: math, source: math}\n  - {id: poetry, source: poetry}");
        AssertInputError(result, $"{path}:7:22: strategies[0].routing:", "keyword routing needs `keywords:`");
    }

    [Fact]
    public void Validate_DefaultDomainNotInTheCurriculum_ExitsTwo()
    {
        var (result, path) = Validate("  - {type: adapters, routing: keyword, default_domain: history}");
        AssertInputError(result, $"{path}:7:40: strategies[0].default_domain:", "'history' is not a curriculum domain (math, poetry)");
    }

    [Fact]
    public void Validate_JointWithAdapters_ExitsTwo()
    {
        var (result, _) = Validate("  - type: adapters\n  - type: joint");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("joint trains all domains at once", Assert.Single(result.StderrLines));
    }

    [Theory]
    [InlineData("ewc")]
    [InlineData("distillation")]
    public void Validate_WeightRegulariserWithAdapters_ExitsTwo(string type)
    {
        var (result, path) = Validate($"  - type: adapters\n  - type: {type}");
        AssertInputError(result, $"{path}:8:5: strategies[1].type:", "which 'adapters' freezes");
    }

    [Fact]
    public void Validate_KeywordRoutingWithADomainNoKeywordReaches_ExitsTwoAtThatDomain()
    {
        var (result, path) = Validate("  - {type: adapters, routing: keyword}");
        AssertInputError(result, $"{path}:5:6: curriculum[1].id:", "domain 'poetry' has no keywords");
    }

    [Fact]
    public void Validate_DomainNamedLikeTheSharedAdapter_ExitsTwo()
    {
        var (result, path) = Validate("  - type: isolation", curriculum: "  - {id: math, source: math}\n  - {id: shared, source: poetry}");
        AssertInputError(result, $"{path}:5:6: curriculum[1].id:", "'shared' is reserved");
    }

    [Fact]
    public void Validate_AdaptersWithReplay_IsAccepted()
    {
        var (result, _) = Validate("  - {type: adapters, routing: keyword, default_domain: poetry}\n  - type: replay");
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
