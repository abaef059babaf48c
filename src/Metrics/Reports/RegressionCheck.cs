namespace Harness.Metrics.Reports;

/// <summary>One gated metric of one variant: baseline mean, current mean, the band that passes, and whether it held.</summary>
public sealed record RegressionCheck(string Variant, string Metric, double Baseline, double Current, RegressionTolerance Tolerance,
    double Low, double High)
{
    /// <summary>True when the current mean left the band.</summary>
    public bool Regressed => Current < Low || Current > High;

    /// <summary>Current minus baseline.</summary>
    public double Change => Current - Baseline;
}
