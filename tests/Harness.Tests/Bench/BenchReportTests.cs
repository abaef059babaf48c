using System.Text.Json.Nodes;
using Harness.Bench;

namespace Harness.Tests.Bench;

/// <summary>The bench's summary: medians, bests, and each ratio against its target, from hand-made repeats.</summary>
public sealed class BenchReportTests
{
    private static BenchSeries Series(string key, string unit, params (double Seconds, int Steps, long Units)[] repeats)
    {
        var series = new BenchSeries(key, key, unit);
        foreach (var (seconds, steps, units) in repeats) series.Samples.Add(new BenchSample(seconds, steps, units));
        return series;
    }

    [Fact]
    public void Series_OddAndEvenCounts_MedianAndBestAsDefined()
    {
        // Given rates of 100, 50, 200 units/s (and then a fourth of 25)
        var series = Series("x", "tok", (1, 10, 100), (2, 10, 100), (0.5, 10, 100));
        // Then the median is the middle rate and the best the highest; step times follow the seconds
        Assert.Equal(100, series.MedianRate, 9);
        Assert.Equal(200, series.BestRate, 9);
        Assert.Equal(0.1, series.MedianStepSeconds, 9);
        Assert.Equal(0.05, series.BestStepSeconds, 9);
        series.Samples.Add(new BenchSample(4, 10, 100));
        Assert.Equal(75, series.MedianRate, 9); // (50 + 100) / 2
    }

    [Fact]
    public void Targets_FromMediansOfEachPair_MetOrNot()
    {
        // Given bare 1000 tok/s, Harness 960 tok/s; naive 0.10 s a step, replay 0.12 s, distillation 0.15 s;
        // decoding 300 prompts in 0.1 s cached and 0.4 s recomputed; a default run peaking at 900 MiB
        var report = new BenchReport(
        [
            Series("gpt_bare", "tok", (1, 10, 1000), (1, 10, 1000), (1, 10, 1000)),
            Series("gpt_naive", "tok", (1, 10, 960), (1, 10, 960), (0.5, 10, 960)),
            Series("gpt_replay", "tok", (1.2, 10, 900), (1.2, 10, 900), (1.2, 10, 900)),
            Series("gpt_distillation", "tok", (1.5, 10, 960), (1.5, 10, 960), (1.5, 10, 960)),
            Series("decode_cached", "prompt", (0.1, 0, 300), (0.1, 0, 300), (0.1, 0, 300)),
            Series("decode_recompute", "prompt", (0.4, 0, 300), (0.4, 0, 300), (0.4, 0, 300)),
        ], peakRssMb: 900, new JsonObject());
        var targets = report.Targets().ToDictionary(t => t.Key);
        // Then each ratio is the ratio of medians, with the best beside it, and judged against its own target
        Assert.Equal(0.96, targets["gpt_harness_vs_bare"].Median, 9);
        Assert.Equal(1.92, targets["gpt_harness_vs_bare"].Best, 9); // 1920 / 1000
        Assert.True(targets["gpt_harness_vs_bare"].Met);
        Assert.Equal(1.2, targets["replay_vs_naive"].Median, 9);
        Assert.False(targets["replay_vs_naive"].Met); // > 1.1
        Assert.Equal(1.5, targets["distillation_vs_naive"].Median, 9);
        Assert.True(targets["distillation_vs_naive"].Met); // <= 1.6
        Assert.Equal(4, targets["decode_cache_speedup"].Median, 9);
        Assert.True(targets["peak_rss_mb"].Met);
        // ... and ratios whose workloads did not run (PyTorch, MLP) are left out, in the table and in bench.json
        Assert.DoesNotContain("gpt_harness_vs_pytorch", targets.Keys);
        var json = report.ToJson();
        Assert.False(json["ratios"]!.AsObject().ContainsKey("mlp_harness_vs_pytorch"));
        Assert.Equal(3, json["workloads"]!["gpt_bare"]!["repeats"]!.AsArray().Count);
        Assert.Contains("NOT MET", report.Table());
    }
}
