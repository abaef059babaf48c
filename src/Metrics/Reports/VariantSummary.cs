namespace Harness.Metrics.Reports;

/// <summary>
/// One variant (a config, or a config with overrides) over its seeds: every scalar metric's mean ± std, and the
/// element-wise mean and standard deviation of the accuracy matrices (all seeds of a variant share the matrix shape).
/// </summary>
public sealed record VariantSummary(
    string Label,
    IReadOnlyList<RunRecord> Runs,
    IReadOnlyDictionary<string, MetricStats> Metrics,
    AccuracyMatrix MeanMatrix,
    double[,]? StdMatrix)
{
    /// <summary>The seeds aggregated, in run order.</summary>
    public IReadOnlyList<int> Seeds => Runs.Select(r => r.Seed).ToList();

    /// <summary>The metric's statistics, or null when no run had it.</summary>
    public MetricStats? this[string metric] => Metrics.TryGetValue(metric, out var s) ? s : null;
}
