using System.Globalization;
using Harness.Metrics.Plots;
using ScottPlot;

namespace Harness.Metrics.Reports;

/// <summary>
/// The comparison plots of a suite's variants, each written as PNG and SVG: grouped bars of the headline metrics,
/// one forgetting plot per domain, the mean accuracy matrix of each variant, and the training-loss curves. A variant
/// has the same colour in every figure.
/// </summary>
public static class ComparisonPlots
{
    /// <summary>Section of the metric bars.</summary>
    public const string SummarySection = "Summary";

    /// <summary>Section of the per-domain forgetting plots.</summary>
    public const string ForgettingSection = "Forgetting";

    /// <summary>Section of the per-variant mean accuracy matrices.</summary>
    public const string MatricesSection = "Accuracy matrices";

    /// <summary>Section of the training-loss curves.</summary>
    public const string LossSection = "Training loss";

    /// <summary>
    /// Writes every comparison plot into <paramref name="folder"/> (created if missing) and returns them in report
    /// order: summary_bars, forgetting_&lt;domain&gt; per domain, heatmap_&lt;variant&gt; per variant, loss_curves.
    /// A figure with nothing to show (no headline metric, no loss curve) is left out; no variants, no figures.
    /// </summary>
    public static IReadOnlyList<ReportFigure> Write(SuiteSummary summary, string folder)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);

        IReadOnlyList<VariantSummary> variants = summary.Variants;
        if (variants.Count == 0) return [];
        Directory.CreateDirectory(folder);
        var names = new FigureNames();
        var figures = new List<ReportFigure>();

        IReadOnlyList<string> metrics = SummaryBarsPlot.DrawnMetrics(variants);
        if (metrics.Count > 0)
        {
            using Plot plot = SummaryBarsPlot.Create(variants, $"{summary.Title}: {string.Join(", ", metrics)}");
            figures.Add(Save(plot, folder, names.Take("summary_bars"), SummaryBarsPlot.ImageSize(variants), SummarySection,
                $"{string.Join(", ", metrics)} per variant: mean over seeds, error bars one standard deviation (n − 1), none for a single seed; " +
                "n/a where a metric is undefined for a variant (e.g. bwt of a joint run)."));
        }

        foreach (string domain in DomainForgettingPlot.Domains(variants))
        {
            using Plot plot = DomainForgettingPlot.Create(variants, domain, $"{domain}: accuracy after each stage");
            figures.Add(Save(plot, folder, names.Take("forgetting_", domain), DomainForgettingPlot.ImageSize(variants), ForgettingSection,
                $"Accuracy on {domain} after each stage, one line per variant: mean over seeds, shaded ± one standard deviation. " +
                $"Dotted vertical line: the stage that trains {domain}. Dashed horizontal line: a joint run (all domains at once), the upper bound."));
        }

        foreach (VariantSummary v in variants)
        {
            string seeds = Seeds(v.Runs.Count);
            using Plot plot = AccuracyMatrixPlot.Create(v.MeanMatrix, $"{v.Label}: mean of {seeds}");
            figures.Add(Save(plot, folder, names.Take("heatmap_", v.Label), AccuracyMatrixPlot.ImageSize(v.MeanMatrix), MatricesSection,
                $"Mean accuracy matrix of {v.Label} over {seeds}: row = evaluation after that stage, column = domain evaluated."));
        }

        if (LossCurvesPlot.HasCurves(variants))
        {
            using Plot plot = LossCurvesPlot.Create(variants, $"{summary.Title}: training loss");
            figures.Add(Save(plot, folder, names.Take("loss_curves"), LossCurvesPlot.ImageSize(variants), LossSection,
                "Training loss against global step, one colour per variant: the mean over seeds where all seeds logged the same steps, " +
                "otherwise each seed as a thin line." + (LossCurvesPlot.UsesLogScale(variants) ? " Logarithmic loss axis." : "")));
        }

        return figures;
    }

    private static ReportFigure Save(Plot plot, string folder, string baseName, (int Width, int Height) size, string section, string caption)
    {
        (string png, string svg) = FigureFile.Save(plot, folder, baseName, size);
        return new ReportFigure(section, caption, png, svg);
    }

    private static string Seeds(int n) => string.Create(CultureInfo.InvariantCulture, $"{n} seed{(n == 1 ? "" : "s")}");
}
