using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Harness.Metrics.Reports;
using Microsoft.Data.Analysis;

namespace Harness.Metrics.Tests.Reports;

public sealed class SummaryAggregatorTests
{
    [Fact]
    public void Variant_ThreeSeeds_MeanAndSampleStdOfEveryMetric()
    {
        // Given three runs with acc 0.5, 0.7, 0.9: mean 0.7, std = sqrt((0.04 + 0 + 0.04) / (3 - 1)) = 0.2
        using var dir = new TempDirectory();
        var runs = new[] { 0.5, 0.7, 0.9 }.Select((acc, seed) => FakeRuns.Record(dir.File($"s{seed}"), "replay", seed, acc)).ToList();

        // When
        var v = SummaryAggregator.Variant("replay", runs);

        // Then
        Assert.Equal(0.7, v["acc"]!.Mean, 12);
        Assert.Equal(0.2, v["acc"]!.Std!.Value, 12);
        Assert.Equal(3, v["acc"]!.N);
        Assert.Equal(0.3, v["avg_forgetting"]!.Mean, 12);
        Assert.Equal(new[] { 0, 1, 2 }, v.Seeds);
    }

    [Fact]
    public void Variant_OneSeed_StdIsUndefined()
    {
        using var dir = new TempDirectory();
        var v = SummaryAggregator.Variant("x", [FakeRuns.Record(dir.File("s0"), "x", 0, 0.6)]);

        Assert.Equal(0.6, v["acc"]!.Mean, 12);
        Assert.Null(v["acc"]!.Std);
        Assert.Equal(1, v["acc"]!.N);
        Assert.Null(v.StdMatrix);
    }

    [Fact]
    public void Variant_MetricMissingInOneRun_CountsOnlyRunsThatHaveIt()
    {
        // Given bwt 0.1 and 0.3 in two runs and undefined (null) in a third
        using var dir = new TempDirectory();
        var runs = new List<RunRecord>
        {
            FakeRuns.Record(dir.File("s0"), "x", 0, 0.5, bwt: 0.1),
            FakeRuns.Record(dir.File("s1"), "x", 1, 0.5, bwt: 0.3),
            FakeRuns.Record(dir.File("s2"), "x", 2, 0.5, bwt: null),
        };

        var v = SummaryAggregator.Variant("x", runs);

        Assert.Equal(0.2, v["bwt"]!.Mean, 12);
        Assert.Equal(2, v["bwt"]!.N);
        Assert.Equal(Math.Sqrt(0.02), v["bwt"]!.Std!.Value, 12);
        Assert.Null(v["fwt"]);
    }

    [Fact]
    public void Variant_MeanMatrix_IsTheElementwiseMean()
    {
        using var dir = new TempDirectory();
        var r0 = RunRecord.Read(FakeRuns.Write(dir.File("s0"), "x", 0, [[0, 0], [1, 0.2], [0.4, 1]]));
        var r1 = RunRecord.Read(FakeRuns.Write(dir.File("s1"), "x", 1, [[0, 0], [0.8, 0], [0.6, 0.9]]));

        var v = SummaryAggregator.Variant("x", [r0, r1]);

        Assert.Equal(0.9, v.MeanMatrix[1, 0], 12);
        Assert.Equal(0.1, v.MeanMatrix[1, 1], 12);
        Assert.Equal(0.5, v.MeanMatrix[2, 0], 12);
        Assert.Equal(0.95, v.MeanMatrix[2, 1], 12);
        Assert.Equal(Math.Sqrt(0.02), v.StdMatrix![2, 0], 12); // (0.4, 0.6): deviations ±0.1, sum 0.02 / (2 - 1)
        Assert.Equal(new[] { "initial", "a", "b" }, v.MeanMatrix.Stages);
    }

    [Fact]
    public void Variant_RunsOfDifferentShapes_AreRefused()
    {
        using var dir = new TempDirectory();
        var sequential = RunRecord.Read(FakeRuns.Write(dir.File("s0"), "x", 0, [[0, 0], [1, 0], [0, 1]]));
        var joint = RunRecord.Read(FakeRuns.Write(dir.File("s1"), "x", 1, [[0, 0], [1, 1]], stages: ["initial", "joint"]));

        var e = Assert.Throws<ArgumentException>(() => SummaryAggregator.Variant("x", [sequential, joint]));
        Assert.Contains("variant x", e.Message);
        Assert.Contains(dir.File("s1"), e.Message);
    }

    [Fact]
    public void Aggregate_MetricNames_FollowTheReportOrderThenPerDomainForgetting()
    {
        using var dir = new TempDirectory();
        var run = RunRecord.Read(FakeRuns.Write(dir.File("s0"), "x", 0, [[0, 0], [1, 0], [0.5, 1]],
            new Dictionary<string, double?> { ["forgetting.a"] = 0.5, ["tokens_per_second"] = 10, ["acc"] = 0.75 }));

        var summary = SummaryAggregator.Aggregate("t", [("x", [run])]);

        Assert.Equal(new[] { "acc", "tokens_per_second", "forgetting.a" }, summary.MetricNames);
    }

    [Fact]
    public void Write_SummaryCsv_LoadsBackWithTheSameNumbers()
    {
        // Given two variants, one with three seeds and one with one
        using var dir = new TempDirectory();
        var a = new[] { 0.5, 0.7, 0.9 }.Select((acc, s) => FakeRuns.Record(dir.File($"a{s}"), "a", s, acc)).ToList();
        var b = new List<RunRecord> { FakeRuns.Record(dir.File("b0"), "b", 0, 0.25) };
        var summary = SummaryAggregator.Aggregate("t", [("a", a), ("b", b)]);

        // When
        SummaryFiles.Write(summary, dir.Path);

        // Then the CSV parses in the invariant culture whatever the current one is, with the means and stds
        var text = File.ReadAllText(dir.File(SummaryFiles.Csv));
        Assert.StartsWith("variant,n,acc_mean,acc_std,acc_n,", text);
        Assert.Contains("a,3,0.7,0.2,3,", text);
        var columns = text.Split('\n')[0].Split(',');
        var frame = DataFrame.LoadCsv(new MemoryStream(Encoding.UTF8.GetBytes(text)),
            dataTypes: columns.Select(c => c is "variant" ? typeof(string) : typeof(double)).ToArray(), cultureInfo: CultureInfo.InvariantCulture);
        Assert.Equal(2, frame.Rows.Count);
        Assert.Equal(0.7, (double)frame["acc_mean"][0], 12);
        Assert.Equal(0.25, (double)frame["acc_mean"][1], 12);
        Assert.Null(frame["acc_std"][1]); // n = 1: empty cell, not 0
    }

    [Fact]
    public void Write_SummaryJson_HoldsMeansStdsMatricesAndIncompleteRuns()
    {
        using var dir = new TempDirectory();
        var a = new[] { 0.5, 0.9 }.Select((acc, s) => FakeRuns.Record(dir.File($"a{s}"), "a", s, acc)).ToList();
        var summary = SummaryAggregator.Aggregate("t", [("a", a)], [new IncompleteRun("a", 2, dir.File("a2"), "not run")]);

        SummaryFiles.Write(summary, dir.Path);

        var json = JsonNode.Parse(File.ReadAllText(dir.File(SummaryFiles.Json)))!;
        var variant = json["variants"]![0]!;
        Assert.Equal("a", (string?)variant["variant"]);
        Assert.Equal(0.7, (double)variant["metrics"]!["acc"]!["mean"]!, 6);
        Assert.Equal(Math.Round(Math.Sqrt(0.08), 6), (double)variant["metrics"]!["acc"]!["std"]!, 6);
        Assert.Equal(3, variant["mean_accuracy_matrix"]!.AsArray().Count);
        Assert.Equal("not run", (string?)json["incomplete"]![0]!["reason"]);
    }

    [Fact]
    public void Read_FolderWithoutMetrics_NamesTheFile()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<MetricsInputException>(() => RunRecord.Read(dir.Path));
        Assert.Contains("metrics.json", e.Message);
        Assert.False(RunRecord.IsCompleted(dir.Path));
    }

    [Fact]
    public void IsCompleted_StatusOtherThanCompleted_IsFalse()
    {
        using var dir = new TempDirectory();
        FakeRuns.Write(dir.File("r"), "x", 0, [[0, 0], [1, 0], [0, 1]], status: "interrupted");
        Assert.False(RunRecord.IsCompleted(dir.File("r")));
    }
}
