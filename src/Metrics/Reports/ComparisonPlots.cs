namespace Harness.Metrics.Reports;

/// <summary>Comparison plots of a suite's variants (being written: grouped bars, forgetting plots, heatmaps, loss curves).</summary>
public static class ComparisonPlots
{
    /// <summary>Writes every comparison plot into <paramref name="folder"/>; returns them in report order.</summary>
    public static IReadOnlyList<ReportFigure> Write(SuiteSummary summary, string folder) => [];
}
