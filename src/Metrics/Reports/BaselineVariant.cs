namespace Harness.Metrics.Reports;

/// <summary>One variant in a baseline: how many seeds its means came from, the means, and tolerances that override the file's.</summary>
public sealed record BaselineVariant(int N, IReadOnlyDictionary<string, double> Means,
    IReadOnlyDictionary<string, RegressionTolerance> Tolerances);
