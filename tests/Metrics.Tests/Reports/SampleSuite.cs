using Harness.Metrics.Reports;

namespace Harness.Metrics.Tests.Reports;

/// <summary>
/// A hand-made suite for report tests: "naive" (3 seeds, one without fwt), a replay variant whose label needs HTML
/// escaping (2 seeds), and "joint" (1 seed, one training stage, so no bwt/fwt/forgetting), plus one failed run.
/// </summary>
internal static class SampleSuite
{
    /// <summary>The replay variant's label: markup, an ampersand and both quote kinds.</summary>
    public const string ReplayLabel = "replay <b>&amp; \"buffer\" 'x'";

    private static readonly string[] Domains = ["math", "poetry", "history"];
    private static readonly string[] Stages = ["initial", "math", "poetry", "history"];

    public static SuiteSummary Create(string title = "Suite <demo> & \"quotes\"") =>
        SummaryAggregator.Aggregate(
            title,
            [
                ("naive", [
                    Run("naive", 1, 0.30, 0.20, 0.10, new() { ["fwt"] = 0.01 }, cell: 0.10),
                    Run("naive", 2, 0.40, 0.30, 0.20, new() { ["fwt"] = 0.03 }, cell: 0.20),
                    Run("naive", 3, 0.50, 0.40, 0.30, new(), cell: 0.60),
                ]),
                (ReplayLabel, [
                    Run(ReplayLabel, 1, 0.60, 0.10, 0.05, new() { ["fwt"] = 0.02 }, cell: 0.50),
                    Run(ReplayLabel, 2, 0.70, 0.20, 0.15, new() { ["fwt"] = 0.04 }, cell: 0.70),
                ]),
                ("joint", [Joint()]),
            ],
            [new IncompleteRun("naive", 4, "/results/suite/naive/s4", "failed: out of memory <oom> & more")]);

    /// <summary>A sequential run: acc, bwt = -forgetting, avg_forgetting and per-domain forgetting from the arguments.</summary>
    private static RunRecord Run(string name, int seed, double acc, double forgetMath, double forgetPoetry,
        Dictionary<string, double> extra, double cell)
    {
        var scalars = new Dictionary<string, double>(extra)
        {
            ["acc"] = acc,
            ["bwt"] = -(forgetMath + forgetPoetry) / 2,
            ["avg_forgetting"] = (forgetMath + forgetPoetry) / 2,
            ["learning_accuracy"] = acc + 0.25,
            ["wall_seconds"] = 40 + seed,
            ["training_seconds"] = 30 + seed,
            ["tokens_per_second"] = 20000 + 1000.4 * seed,
            ["forgetting.math"] = forgetMath,
            ["forgetting.poetry"] = forgetPoetry,
        };
        double[,] values =
        {
            { 0.00, 0.00, 0.00 },
            { cell, 0.05, 0.00 },
            { 0.80, 0.90, 0.10 },
            { 0.70, 0.85, 0.95 },
        };
        return new RunRecord($"/results/suite/{name}/s{seed}", name, seed, "completed", new AccuracyMatrix(Domains, Stages, values),
            scalars, [(10, 2.5), (20, 1.5)]);
    }

    private static RunRecord Joint()
    {
        double[,] values = { { 0.0, 0.0, 0.0 }, { 0.90, 0.95, 0.85 } };
        return new RunRecord("/results/suite/joint/s1", "joint", 1, "completed", new AccuracyMatrix(Domains, ["initial", "joint"], values),
            new Dictionary<string, double> { ["acc"] = 0.9, ["learning_accuracy"] = 0.9, ["wall_seconds"] = 50, ["tokens_per_second"] = 21000 },
            [(10, 2.0)]);
    }
}
