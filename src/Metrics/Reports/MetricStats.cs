namespace Harness.Metrics.Reports;

/// <summary>
/// One metric over a variant's seeds: the mean, the sample standard deviation (Bessel's n − 1; null for n = 1, where
/// it is undefined) and n, the number of runs that had the metric (a metric can be undefined for a run, e.g. BWT of
/// a joint run).
/// </summary>
public sealed record MetricStats(double Mean, double? Std, int N)
{
    /// <summary>Statistics of <paramref name="values"/> (at least one).</summary>
    /// <remarks>std = sqrt(Σ (x − mean)² / (n − 1)), as numpy's <c>std(ddof=1)</c> and pandas' <c>std()</c>.</remarks>
    public static MetricStats Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        double mean = values.Average();
        double? std = values.Count < 2 ? null : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MetricStats(mean, std, values.Count);
    }
}
