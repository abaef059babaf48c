namespace Harness.Metrics.Reports;

/// <summary>
/// One gated metric of one variant: baseline mean, current mean (NaN when the suite no longer reports the metric), the
/// band that passes, and whether it held.
/// </summary>
public sealed record RegressionCheck(string Variant, string Metric, double Baseline, double Current, RegressionTolerance Tolerance,
    double Low, double High)
{
    // Means of accuracies on a 1/100 grid land on the band's edge exactly in decimal but not in binary: a drop of
    // exactly the tolerance must pass.
    private const double Slack = 1e-9;

    /// <summary>True when the current mean left the band, or is missing.</summary>
    public bool Regressed => double.IsNaN(Current) || Current < Low - Slack || Current > High + Slack;

    /// <summary>True when the suite no longer reports a metric the baseline gates.</summary>
    public bool Missing => double.IsNaN(Current);

    /// <summary>Current minus baseline.</summary>
    public double Change => Current - Baseline;
}
