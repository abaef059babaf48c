using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Experiments;
using Harness.Tests.Cli;
using YamlDotNet.Core;

namespace Harness.Tests.Experiments;

/// <summary>
/// <c>suite --shard K/N</c> and <c>suite --report-only</c>: N shards cover a suite exactly once, and merging their runs
/// gives the report of the whole suite run in one process.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SuiteShardTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData("10/42", 10, 42)]
    public void Parse_KOfN_CountsFromZero(string text, int index, int count) =>
        Assert.Equal(new SuiteShard(index, count), SuiteShard.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("1")]
    [InlineData("1/2/3")]
    [InlineData("a/b")]
    [InlineData(" 1/2")]
    public void Parse_AnythingElse_IsBadInputNamingTheOption(string text)
    {
        var error = Assert.Throws<HarnessInputException>(() => SuiteShard.Parse(text));
        Assert.StartsWith($"--shard {text}: expected K/N", error.Message);
    }

    [Fact]
    public void Shards_OfAnyCount_CoverEveryPairOnce_InPlanOrder()
    {
        // Given a suite of 3 variants x 3 seeds, narrowed to 2 variants and 2 seeds
        var variants = new[] { "a", "b", "c" }.Select(l => new SuiteVariant(l, "x.yaml", [], Mark.Empty, l, new Dictionary<string, string>())).ToList();
        var suite = new SuiteDefinition("s", "s.yaml", [7, 8, 9], variants);
        var options = new SuiteOptions { Only = ["c", "a"], SeedCount = 2 };

        // When its plan is numbered
        var pairs = SuitePlan.Pairs(suite, options);

        // Then variants keep the suite's order and each variant's seeds follow one another ...
        Assert.Equal(["a/7", "a/8", "c/7", "c/8"], pairs.Select(p => $"{p.Variant.Label}/{p.Seed}"));
        Assert.Equal([0, 1, 2, 3], pairs.Select(p => p.Index));
        // ... and for every shard count, each pair belongs to exactly one shard: i mod N
        for (int n = 1; n <= 6; n++)
            foreach (var pair in pairs)
                Assert.Equal([pair.Index % n], Enumerable.Range(0, n).Where(k => new SuiteShard(k, n).Includes(pair.Index)));
    }

    [Fact]
    public void ShardsThenReportOnly_GiveTheReportOfTheWholeSuite_AndListWhatIsMissing()
    {
        // Given a suite of 2 variants x 2 seeds, run whole into one folder
        var suite = WriteSuite();
        Assert.Equal(0, Suite(suite, "whole").ExitCode);

        // When only shard 0 of 3 has run (pairs 0 and 3) and the parts are merged
        var first = Suite(suite, "parts", "--shard", "0/3");
        var early = Suite(suite, "parts", "--report-only");

        // Then the shard ran its two runs and wrote no report; the merge wrote one over those two, listing the others
        // as not run, and exits 1
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("suite shards shard 0/3: 2 of 4 runs: 2 run, 0 skipped (already finished), 0 failed", first.Stdout);
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("report over 2 of 4 runs, 2 incomplete", early.Stdout);
        Assert.Contains("INCOMPLETE: naive seed 1: not run", early.Stdout);
        Assert.Contains("INCOMPLETE: replay seed 0: not run", early.Stdout);
        Assert.Equal(2, Summary("parts")["incomplete"]!.AsArray().Count);
        // ... while a merge narrowed to runs that did finish succeeds (its report still lists the others)
        var narrowed = Suite(suite, "parts", "--report-only", "--only", "naive", "--seed", "0");
        Assert.True(narrowed.ExitCode == 0, narrowed.ToString());
        Assert.Contains("report over 1 of 1 runs, 0 incomplete", narrowed.Stdout);
        Assert.Equal(2, Summary("parts")["incomplete"]!.AsArray().Count);

        // When the other two shards run (in either order) and the parts are merged again
        Assert.Equal(0, Suite(suite, "parts", "--shard", "2/3").ExitCode);
        Assert.Equal(0, Suite(suite, "parts", "--shard", "1/3").ExitCode);
        var merged = Suite(suite, "parts", "--report-only");

        // Then the merge is complete and equals the whole suite, run by run
        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.Contains("report over 4 of 4 runs, 0 incomplete", merged.Stdout);
        foreach (var run in new[] { "naive/s0", "naive/s1", "replay/s0", "replay/s1" })
            foreach (var key in new[] { "accuracy_matrix", "token_accuracy_matrix", "loss_curve" })
                Assert.True(JsonNode.DeepEquals(Metrics($"whole/{run}")[key], Metrics($"parts/{run}")[key]), $"{run} {key}");
        Assert.True(JsonNode.DeepEquals(Summary("whole")["incomplete"], Summary("parts")["incomplete"]));
        Assert.Equal(
            Summary("whole")["variants"]!.AsArray().Select(v => v!["mean_accuracy_matrix"]!.ToJsonString()),
            Summary("parts")["variants"]!.AsArray().Select(v => v!["mean_accuracy_matrix"]!.ToJsonString()));
    }

    [Theory]
    [InlineData(new[] { "--shard", "0/2", "--report-only" }, "give one of them")]
    [InlineData(new[] { "--shard", "0/2", "--baseline", "b.json" }, "give it to the --report-only merge")]
    [InlineData(new[] { "--shard", "2/2" }, "--shard 2/2: expected K/N")]
    public void BadShardOptions_ExitTwoWithOneLine(string[] options, string expected)
    {
        var result = CliResult.Run(["suite", "x.yaml", .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.StderrLines));
    }

    private string WriteSuite()
    {
        TinyConfig.WriteTo(_dir);
        return _dir.Write("suite.yaml", TinySuite.Yaml("shards"));
    }

    private CliResult Suite(string suite, string folder, params string[] options) =>
        CliResult.Run(["suite", suite, "--out", _dir.File(folder), "--cache-dir", _dir.File("cache"), "--device", "cpu", .. options]);

    private JsonNode Metrics(string run) => JsonNode.Parse(File.ReadAllText(_dir.File($"{run}/metrics.json")))!;

    private JsonNode Summary(string folder) => JsonNode.Parse(File.ReadAllText(_dir.File($"{folder}/summary.json")))!;
}
