using Harness.Metrics.Reports;

namespace Harness.Metrics.Tests.Reports;

/// <summary>
/// A hand-made comparison of four variants over math → poetry → history: naive and "replay,buffer=200" with two seeds,
/// a joint run with two seeds, and "ewc lambda=0.5" with one seed. The expected means and stds are written next to the
/// values they come from.
/// </summary>
internal static class ComparisonSample
{
    public static readonly string[] Domains = ["math", "poetry", "history"];
    public static readonly string[] Stages = ["initial", "math", "poetry", "history"];

    public const string Naive = "naive";
    public const string Replay = "replay,buffer=200";
    public const string Joint = "joint_all";
    public const string Ewc = "ewc lambda=0.5";

    /// <summary>std of two values 0.05 either side of their mean: sqrt((0.05² + 0.05²) / 1).</summary>
    public static readonly double StdOfTwoApart01 = Math.Sqrt(0.005);

    public static SuiteSummary Create()
    {
        RunRecord[] naive =
        [
            Run(Naive, 1, Sequential(new[,] { { 0.1, 0.0, 0.2 }, { 0.9, 0.1, 0.2 }, { 0.5, 0.8, 0.2 }, { 0.3, 0.4, 0.9 } }),
                new() { ["acc"] = 0.50, ["bwt"] = -0.40, ["avg_forgetting"] = 0.45 },
                [(0, 4.0), (10, 2.0), (20, 1.0)]),
            Run(Naive, 2, Sequential(new[,] { { 0.1, 0.0, 0.2 }, { 0.7, 0.1, 0.2 }, { 0.3, 0.8, 0.2 }, { 0.1, 0.6, 0.7 } }),
                new() { ["acc"] = 0.40, ["bwt"] = -0.50, ["avg_forgetting"] = 0.55 },
                [(0, 2.0), (10, 1.0), (20, 0.5)]),
        ];
        RunRecord[] replay =
        [
            Run(Replay, 1, Sequential(new[,] { { 0.1, 0.0, 0.2 }, { 0.9, 0.1, 0.2 }, { 0.8, 0.8, 0.2 }, { 0.7, 0.75, 0.9 } }),
                new() { ["acc"] = 0.70, ["bwt"] = -0.10, ["avg_forgetting"] = 0.15 },
                [(0, 4.0), (10, 2.0), (20, 1.0)]),
            Run(Replay, 2, Sequential(new[,] { { 0.1, 0.0, 0.2 }, { 0.9, 0.1, 0.2 }, { 0.8, 0.8, 0.2 }, { 0.8, 0.75, 0.9 } }),
                new() { ["acc"] = 0.80, ["bwt"] = -0.20, ["avg_forgetting"] = 0.25 },
                [(0, 4.0), (10, 2.0), (30, 1.0)]),
        ];
        RunRecord[] joint =
        [
            Run(Joint, 1, new AccuracyMatrix(Domains, ["initial", "joint"], new[,] { { 0.1, 0.0, 0.2 }, { 0.9, 0.8, 0.95 } }),
                new() { ["acc"] = 0.88 }, []),
            Run(Joint, 2, new AccuracyMatrix(Domains, ["initial", "joint"], new[,] { { 0.1, 0.0, 0.2 }, { 0.8, 0.8, 0.85 } }),
                new() { ["acc"] = 0.82 }, []),
        ];
        RunRecord[] ewc =
        [
            Run(Ewc, 1, Sequential(new[,] { { 0.1, 0.0, 0.2 }, { 0.9, 0.1, 0.2 }, { 0.6, 0.8, 0.2 }, { 0.5, 0.6, 0.9 } }),
                new() { ["acc"] = 0.60, ["bwt"] = -0.30, ["avg_forgetting"] = 0.35 },
                [(0, 3.0), (10, 0.3), (20, 0.2)]),
        ];
        return SummaryAggregator.Aggregate("sample suite", [(Naive, naive), (Replay, replay), (Joint, joint), (Ewc, ewc)]);
    }

    public static AccuracyMatrix Sequential(double[,] values) => new(Domains, Stages, values);

    public static RunRecord Run(string name, int seed, AccuracyMatrix m, Dictionary<string, double> scalars,
        IReadOnlyList<(long Step, double Loss)> loss) =>
        new($"/runs/{name}/seed{seed}", name, seed, "completed", m, scalars, loss);
}
