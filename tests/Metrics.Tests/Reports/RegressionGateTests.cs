using Harness.Metrics.Reports;

namespace Harness.Metrics.Tests.Reports;

public sealed class RegressionGateTests
{
    private static SuiteSummary Suite(TempDirectory dir, params (string Label, double Acc, double Tps)[] variants) =>
        SummaryAggregator.Aggregate("nightly", variants
            .Select(v => (v.Label, (IReadOnlyList<RunRecord>)[FakeRuns.Record(dir.File($"{v.Label}-{v.Acc}-{v.Tps}"), v.Label, 0, v.Acc, tokensPerSecond: v.Tps)]))
            .ToList());

    private static RegressionBaseline Baseline(SuiteSummary summary) =>
        RegressionBaseline.From(summary, RegressionTolerance.Defaults, null, new());

    [Fact]
    public void Check_UnchangedSuite_Passes()
    {
        using var dir = new TempDirectory();
        var summary = Suite(dir, ("naive", 0.33, 1000), ("replay", 0.54, 900));

        var gate = RegressionGate.Check(summary, Baseline(summary));

        Assert.False(gate.Regressed);
        Assert.Equal(6, gate.Checks.Count); // acc, avg_forgetting, normalized throughput × 2 variants
        Assert.Contains("no regression", gate.ToTable());
    }

    [Fact]
    public void Check_PlantedAccuracyDrop_FlagsThatVariantOnly()
    {
        // Given a baseline where replay had acc 0.54 and now has 0.40 (a drop of 0.14 > 0.03)
        using var dir = new TempDirectory();
        var before = Suite(dir, ("naive", 0.33, 1000), ("replay", 0.54, 900));
        var now = Suite(dir, ("naive", 0.33, 1000), ("replay", 0.40, 900));

        var gate = RegressionGate.Check(now, Baseline(before));

        Assert.True(gate.Regressed);
        Assert.Equal(["replay"], gate.RegressedVariants);
        var failed = gate.Checks.Where(c => c.Regressed).Select(c => c.Metric).Order().ToList();
        Assert.Equal(["acc", "avg_forgetting"], failed); // the fake run's forgetting is 1 - acc, so it rose by 0.14
        Assert.Contains("REGRESSION: replay", gate.ToTable());
        Assert.Contains("REGRESSED", gate.ToTable());
    }

    [Theory]
    [InlineData(0.52, false)] // a drop of 0.02 is within 0.03
    [InlineData(0.505, true)] // a drop of 0.035 is not
    [InlineData(0.80, false)] // improvements pass (avg_forgetting falls)
    public void Check_AccuracyTolerance_IsAnAbsoluteDropOf003(double now, bool regressed)
    {
        using var dir = new TempDirectory();
        var gate = RegressionGate.Check(Suite(dir, ("replay", now, 1000)), Baseline(Suite(dir, ("replay", 0.54, 1000))));
        Assert.Equal(regressed, gate.Checks.Single(c => c.Metric == "acc").Regressed);
    }

    [Theory]
    [InlineData(800, false)] // -20% is within 25%
    [InlineData(700, true)] // -30% is not
    public void Check_Throughput_IsComparedAfterNormalisingByCalibration(double tokensPerSecond, bool regressed)
    {
        // Given the same calibration (100 GFLOP/s) in both runs, normalised throughput 10 before and 8 or 7 now
        using var dir = new TempDirectory();
        var gate = RegressionGate.Check(Suite(dir, ("naive", 0.33, tokensPerSecond)), Baseline(Suite(dir, ("naive", 0.33, 1000))));
        Assert.Equal(regressed, gate.Checks.Single(c => c.Metric == "normalized_tokens_per_second").Regressed);
    }

    [Fact]
    public void Check_SlowerMachine_WithSlowerCalibration_IsNotARegression()
    {
        // Given a machine a third slower: 667 tokens/s at 66.7 GFLOP/s is the same 10 tokens per calibration GFLOP
        using var dir = new TempDirectory();
        var before = SummaryAggregator.Aggregate("n", [("naive", [FakeRuns.Record(dir.File("b"), "naive", 0, 0.33, tokensPerSecond: 1000, calibration: 100)])]);
        var now = SummaryAggregator.Aggregate("n", [("naive", [FakeRuns.Record(dir.File("n"), "naive", 0, 0.33, tokensPerSecond: 667, calibration: 66.7)])]);

        var gate = RegressionGate.Check(now, Baseline(before));

        Assert.False(gate.Regressed);
        Assert.DoesNotContain(gate.Checks, c => c.Metric == "tokens_per_second"); // raw throughput is not gated by default
    }

    [Fact]
    public void Check_BaselineVariantWithoutRuns_FailsAFullSuiteButNotANarrowedOne()
    {
        // Given a baseline of naive and replay, and a suite that produced only naive (and a new variant)
        using var dir = new TempDirectory();
        var baseline = Baseline(Suite(dir, ("naive", 0.33, 1000), ("replay", 0.54, 1000)));
        var now = Suite(dir, ("naive", 0.33, 1000), ("new", 0.1, 1000));

        // When gated as a full suite, replay is missing: a regression; when narrowed with --only, it is not
        var full = RegressionGate.Check(now, baseline);
        var narrowed = RegressionGate.Check(now, baseline, narrowed: true);

        Assert.True(full.Regressed);
        Assert.Equal(["replay"], full.RegressedVariants);
        Assert.Contains("replay: in the baseline but has no finished run: MISSING", full.ToTable());
        Assert.False(narrowed.Regressed);
        Assert.Equal(["new"], narrowed.NewVariants);
        Assert.Equal(["replay"], narrowed.NotRun);
    }

    [Fact]
    public void Check_NothingChecked_Fails()
    {
        // Given a baseline whose only variant was renamed in the suite
        using var dir = new TempDirectory();
        var gate = RegressionGate.Check(Suite(dir, ("renamed", 0.9, 1000)), Baseline(Suite(dir, ("old", 0.9, 1000))), narrowed: true);

        Assert.Empty(gate.Checks);
        Assert.True(gate.Regressed);
        Assert.Contains("nothing was checked", gate.ToTable());
    }

    [Fact]
    public void Check_GatedMetricNoLongerReported_Fails()
    {
        // Given a baseline with avg_forgetting for replay and a current run without it
        using var dir = new TempDirectory();
        var baseline = Baseline(Suite(dir, ("replay", 0.54, 1000)));
        var run = RunRecord.Read(FakeRuns.Write(dir.File("nf"), "replay", 0, [[0, 0], [1, 0], [0.54, 1]],
            new Dictionary<string, double?> { ["acc"] = 0.54, ["normalized_tokens_per_second"] = 10 }));

        var gate = RegressionGate.Check(SummaryAggregator.Aggregate("n", [("replay", [run])]), baseline);

        var missing = gate.Checks.Single(c => c.Metric == "avg_forgetting");
        Assert.True(missing.Missing);
        Assert.True(gate.Regressed);
        Assert.Contains("avg_forgetting missing", gate.ToTable());
    }

    [Fact]
    public void ToTable_ChangeThatRoundsToZero_PrintsPlusZero()
    {
        // Given a mean 1e-7 below the baseline (a rounding difference of the stored six decimals)
        using var dir = new TempDirectory();
        var baseline = Baseline(Suite(dir, ("replay", 0.5583334, 1000)));
        var gate = RegressionGate.Check(Suite(dir, ("replay", 0.5583333, 1000)), baseline);

        var accLine = gate.ToTable().Split('\n').Single(l => l.Contains(" acc "));

        Assert.Contains(" +0.000 ", accLine);
        Assert.DoesNotContain("-", accLine.Replace("replay", ""));
    }

    [Fact]
    public void Check_DropOfExactlyTheTolerance_Passes()
    {
        // 0.54 - 0.51 is 0.030000000000000027 in binary: the edge of the band must still pass
        using var dir = new TempDirectory();
        var gate = RegressionGate.Check(Suite(dir, ("replay", 0.51, 1000)), Baseline(Suite(dir, ("replay", 0.54, 1000))));
        Assert.False(gate.Checks.Single(c => c.Metric == "acc").Regressed);
    }

    [Fact]
    public void ReadWrite_RoundTrip_KeepsMeansAndTolerancesIncludingPerVariantOnes()
    {
        // Given a baseline with a stricter acc tolerance for replay only
        using var dir = new TempDirectory();
        var summary = Suite(dir, ("replay", 0.54, 1000), ("naive", 0.33, 1000));
        var baseline = Baseline(summary);
        baseline = baseline with
        {
            Variants = baseline.Variants.ToDictionary(v => v.Key, v => v.Key == "replay"
                ? v.Value with { Tolerances = new Dictionary<string, RegressionTolerance> { ["acc"] = new(MaxDrop: 0.01) } }
                : v.Value),
        };

        // When written and read back
        baseline.Write(dir.File("sub/base.json"));
        var read = RegressionBaseline.Read(dir.File("sub/base.json"));

        // Then a drop of 0.02 fails replay (0.01 allowed) but not naive (0.03 allowed)
        Assert.Equal(0.54, read.Variants["replay"].Means["acc"], 6);
        var gate = RegressionGate.Check(Suite(dir, ("replay", 0.52, 1000), ("naive", 0.31, 1000)), read);
        Assert.True(gate.Checks.Single(c => c is { Variant: "replay", Metric: "acc" }).Regressed);
        Assert.False(gate.Checks.Single(c => c is { Variant: "naive", Metric: "acc" }).Regressed);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"variants\": []}", "not a baseline")]
    [InlineData("{\"tolerances\": {\"acc\": {\"max_fall\": 1}}, \"variants\": {}}", "max_fall")]
    [InlineData("{\"tolerances\": {\"acc\": {\"max_drop\": -1}}, \"variants\": {}}", "negative")]
    public void Read_MalformedBaseline_NamesTheFileAndTheProblem(string text, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("b.json"), text);

        var e = Assert.Throws<MetricsInputException>(() => RegressionBaseline.Read(dir.File("b.json")));

        Assert.Contains(dir.File("b.json"), e.Message);
        Assert.Contains(expected, e.Message);
    }
}
