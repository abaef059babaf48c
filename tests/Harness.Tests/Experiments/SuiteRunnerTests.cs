using System.Text.Json.Nodes;
using Harness.Metrics.Reports;
using Harness.Config;
using Harness.Tests.Cli;
using Harness.Tests.Training;
using Harness.Training;

namespace Harness.Tests.Experiments;

/// <summary>The suite command end to end on a tiny suite; tests run in order on one shared folder.</summary>
[TestCaseOrderer("Harness.Tests.Experiments.AlphabeticalOrderer", "Harness.Tests")]
public sealed class SuiteRunnerTests(SuiteFixture suite) : IClassFixture<SuiteFixture>
{
    private static readonly string[] Runs = ["naive/s0", "naive/s1", "replay/s0", "replay/s1"];

    [Fact]
    public void A_FirstRun_WritesEveryRunAndTheReport()
    {
        Assert.True(suite.First.ExitCode == 0, suite.First.ToString());
        foreach (var run in Runs)
        {
            var record = RunRecord.Read(Path.Combine(suite.OutDirectory, run));
            Assert.Equal("completed", record.Status);
            Assert.Equal(run.Split('/')[0], record.Name); // runs are named after their variant
        }
        foreach (var file in new[] { "summary.json", "summary.csv", "report.html", "plots/summary_bars.png" })
            Assert.True(File.Exists(Path.Combine(suite.OutDirectory, file)), file);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(suite.OutDirectory, "summary.json")))!;
        Assert.Equal(["naive", "replay"], summary["variants"]!.AsArray().Select(v => (string?)v!["variant"]));
        Assert.All(summary["variants"]!.AsArray(), v => Assert.Equal(2, (int)v!["n"]!));
        Assert.Contains("4 run, 0 skipped", suite.First.Stdout);
    }

    [Fact]
    public void B_SecondRun_SkipsEveryFinishedRunAndLeavesItUntouched()
    {
        // Given the finished suite's metrics files and their times
        var before = Runs.ToDictionary(r => r, r => File.GetLastWriteTimeUtc(Path.Combine(suite.OutDirectory, r, "metrics.json")));

        // When the same suite runs again
        var again = suite.Suite();

        // Then nothing trains again
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 run, 4 skipped", again.Stdout);
        foreach (var run in Runs)
            Assert.Equal(before[run], File.GetLastWriteTimeUtc(Path.Combine(suite.OutDirectory, run, "metrics.json")));
    }

    [Fact]
    public void C_InterruptedRun_IsRunAgainAndOnlyIt()
    {
        // Given one run that did not finish (its metrics.json, written last, is missing)
        File.Delete(Path.Combine(suite.OutDirectory, "replay/s1", "metrics.json"));

        // When
        var again = suite.Suite();

        // Then that run trains again and the others are skipped
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("replay seed 1: did not finish (no readable metrics.json), with no checkpoint of this config; running it again", again.Stdout);
        Assert.Contains("1 run, 3 skipped", again.Stdout);
        Assert.True(RunRecord.IsCompleted(Path.Combine(suite.OutDirectory, "replay/s1")));
    }

    [Fact]
    public void Ca_StoppedRunWithACheckpoint_IsResumedNotRunAgain()
    {
        // Given replay seed 1 stopped (as by SIGINT) after its first stage, of the same config, with its checkpoint
        var run = Path.Combine(suite.OutDirectory, "replay/s1");
        var finished = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        var loaded = ConfigLoader.Load(Path.Combine(run, "config.resolved.yaml"));
        Directory.Delete(run, recursive: true);
        var stop = new StopSignal();
        var console = new TriggerWriter(l => l.StartsWith("eval after stage 1/", StringComparison.Ordinal), () => stop.Request(2));
        Assert.Throws<RunInterruptedException>(() =>
            new ExperimentRunner(console, false) { CacheDirectory = suite.CacheDirectory, Stop = stop }.Run(loaded, run));

        // When the suite runs again
        var again = suite.Suite();

        // Then that run resumes from its checkpoint and ends as it did uninterrupted; the others are skipped
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("replay seed 1: unfinished, resuming from its checkpoint", again.Stdout);
        Assert.Contains("1 run, 3 skipped", again.Stdout);
        var resumed = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        Assert.Equal(1, (int)resumed["resumes"]!);
        Assert.True(JsonNode.DeepEquals(finished["accuracy_matrix"], resumed["accuracy_matrix"]));
        Assert.True(JsonNode.DeepEquals(finished["loss_curve"], resumed["loss_curve"]));
    }

    [Fact]
    public void D_ChangedConfig_RerunsThatVariantOnly()
    {
        // Given the replay variant's buffer changed in the suite file
        suite.RewriteSuite(File.ReadAllText(suite.SuitePath).Replace("label: replay", "label: replay\n    overrides: {strategies.replay.buffer_size: 4}"));

        // When
        var again = suite.Suite("--only", "replay", "--seeds", "1");

        // Then only replay seed 0 reran; the report still covers both variants and both seeds
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("replay seed 0: its config changed since it finished; running it again", again.Stdout);
        Assert.Contains("1 run, 0 skipped", again.Stdout);
        Assert.Contains("buffer_size: 4", File.ReadAllText(Path.Combine(suite.OutDirectory, "replay/s0/config.resolved.yaml")));
        // and replay seed 1, still of the old config, is listed as incomplete instead of being averaged in
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(suite.OutDirectory, "summary.json")))!;
        var variants = summary["variants"]!.AsArray();
        Assert.Equal(["naive", "replay"], variants.Select(v => (string?)v!["variant"]));
        Assert.Equal([2, 1], variants.Select(v => (int)v!["n"]!));
        var left = Assert.Single(summary["incomplete"]!.AsArray())!;
        Assert.Equal("replay", (string?)left["variant"]);
        Assert.Equal(1, (int)left["seed"]!);
        Assert.Equal("its config changed since it finished", (string?)left["reason"]);
    }

    [Fact]
    public void E_Baseline_UnchangedSuitePassesAndAPlantedRegressionFailsNamingTheVariant()
    {
        // Given a baseline written from the finished suite
        var baseline = suite.File("baseline.json");
        var update = suite.Suite("--baseline", baseline, "--update-baseline");
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains("baseline written", update.Stdout);

        // When the unchanged suite is gated against it, it passes
        var pass = suite.Suite("--baseline", baseline);
        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.Contains("no regression", pass.Stdout);

        // When the baseline claims replay was 0.5 more accurate (a planted regression of the current runs)
        var json = JsonNode.Parse(File.ReadAllText(baseline))!;
        var acc = json["variants"]!["replay"]!["metrics"]!["acc"]!;
        json["variants"]!["replay"]!["metrics"]!["acc"] = Math.Min(1, (double)acc + 0.5);
        File.WriteAllText(baseline, json.ToJsonString());
        var fail = suite.Suite("--baseline", baseline);

        // Then it exits 1, prints the table and names replay (and not naive)
        Assert.Equal(1, fail.ExitCode);
        Assert.Contains("REGRESSION: replay (acc", fail.Stdout);
        Assert.DoesNotContain("naive (acc", fail.Stdout);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(suite.OutDirectory, "regression.json")))!;
        Assert.True((bool)report["regressed"]!);
        Assert.Equal(["replay"], report["regressed_variants"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void Ea_UpdateBaselineForOneVariant_KeepsTheOtherVariantsEntries()
    {
        // Given the baseline of test E, whose replay entry was planted
        var baseline = suite.File("baseline.json");
        double planted = (double)JsonNode.Parse(File.ReadAllText(baseline))!["variants"]!["replay"]!["metrics"]!["acc"]!;

        // When only naive's entry is updated
        var update = suite.Suite("--only", "naive", "--baseline", baseline, "--update-baseline");

        // Then replay's entry is untouched
        Assert.True(update.ExitCode == 0, update.ToString());
        var json = JsonNode.Parse(File.ReadAllText(baseline))!;
        Assert.Equal(planted, (double)json["variants"]!["replay"]!["metrics"]!["acc"]!);
        Assert.NotNull(json["variants"]!["naive"]);
    }

    [Fact]
    public void Eb_BaselineOfAnotherSuite_IsRefusedBeforeAnyRun()
    {
        var other = suite.File("other-baseline.json");
        File.WriteAllText(other, """{"suite": "nightly", "variants": {}}""");

        var result = suite.Suite("--baseline", other);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a baseline of suite 'nightly', not of 'tiny-suite'", result.Stderr);
        Assert.DoesNotContain("suite tiny-suite: run", result.Stdout);
    }

    [Fact]
    public void F_Compare_TwoRunFoldersOfOneVariant_AggregatesThemInAFolderItNames()
    {
        var outDirectory = suite.File("compare");

        var result = CliResult.Run("compare", Path.Combine(suite.OutDirectory, "naive"), "--out", outDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"report: {Path.Combine(outDirectory, "report.html")}", result.Stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDirectory, "summary.json")))!;
        var variant = Assert.Single(summary["variants"]!.AsArray())!;
        Assert.Equal("naive", (string?)variant["variant"]);
        Assert.Equal([0, 1], variant["seeds"]!.AsArray().Select(s => (int)s!));
    }

    [Fact]
    public void Fa_Compare_OverlappingFolders_CountEachRunOnce()
    {
        var outDirectory = suite.File("compare-overlap");

        var result = CliResult.Run("compare", Path.Combine(suite.OutDirectory, "naive"), Path.Combine(suite.OutDirectory, "naive", "s0"),
            "--out", outDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDirectory, "summary.json")))!;
        var variant = Assert.Single(summary["variants"]!.AsArray())!;
        Assert.Equal(2, (int)variant["n"]!);
    }

    [Fact]
    public void G_Compare_SameVariantFromTwoFolders_KeepsThemApart()
    {
        var outDirectory = suite.File("compare-two");

        var result = CliResult.Run("compare", Path.Combine(suite.OutDirectory, "naive", "s0"), Path.Combine(suite.OutDirectory, "naive", "s1"),
            "--out", outDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDirectory, "summary.json")))!;
        Assert.Equal(["s0/naive", "s1/naive"], summary["variants"]!.AsArray().Select(v => (string?)v!["variant"]));
    }

    [Theory]
    [InlineData(new[] { "suite" }, "suite takes exactly one suite file")]
    [InlineData(new[] { "suite", "x.yaml", "--seeds", "2", "--seed", "1" }, "not both")]
    [InlineData(new[] { "suite", "x.yaml", "--update-baseline" }, "--update-baseline needs --baseline")]
    [InlineData(new[] { "suite", "x.yaml", "--bogus" }, "suite: unknown option --bogus")]
    [InlineData(new[] { "compare" }, "compare needs at least one")]
    [InlineData(new[] { "compare", "/nonexistent-folder" }, "no such folder")]
    public void H_BadCommandLine_ExitsTwoWithOneLine(string[] args, string expected)
    {
        var result = CliResult.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.StderrLines));
    }

    [Fact]
    public void I_OnlyUnknownVariant_ListsTheSuitesVariants()
    {
        var result = suite.Suite("--only", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--only nope", result.Stderr);
        Assert.Contains("naive, replay", result.Stderr);
    }
}
