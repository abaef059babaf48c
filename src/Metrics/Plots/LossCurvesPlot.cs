using System.Globalization;
using Harness.Metrics.Reports;
using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>
/// Training loss against global step, one colour per variant: the mean over seeds when all its seeds logged the same
/// steps, otherwise every seed as a thin line (averaging curves sampled at different steps would invent points).
/// The loss axis is logarithmic when the losses span a factor of ten or more, where a linear axis flattens everything
/// after the first drop.
/// </summary>
internal static class LossCurvesPlot
{
    private const float LegendFontSize = 14;

    /// <summary>True when at least one run of <paramref name="variants"/> logged a loss curve.</summary>
    public static bool HasCurves(IReadOnlyList<VariantSummary> variants) =>
        variants.Any(v => v.Runs.Any(r => r.LossCurve.Count > 0));

    /// <summary>True when every loss is positive and the largest is at least ten times the smallest.</summary>
    public static bool UsesLogScale(IReadOnlyList<VariantSummary> variants)
    {
        var losses = variants.SelectMany(v => v.Runs).SelectMany(r => r.LossCurve).Select(p => p.Loss).ToList();
        return losses.Count > 0 && losses.Min() > 0 && losses.Max() >= 10 * losses.Min();
    }

    /// <summary>
    /// The curves of one variant: one (steps, mean losses) pair when all its runs with a curve share their steps,
    /// else one pair per such run.
    /// </summary>
    public static IReadOnlyList<(double[] Steps, double[] Losses)> Curves(VariantSummary v)
    {
        var runs = v.Runs.Where(r => r.LossCurve.Count > 0).ToList();
        if (runs.Count == 0) return [];
        double[] steps = runs[0].LossCurve.Select(p => (double)p.Step).ToArray();
        bool sameSteps = runs.All(r => r.LossCurve.Select(p => p.Step).SequenceEqual(runs[0].LossCurve.Select(p => p.Step)));
        if (!sameSteps)
        {
            return runs.Select(r => (r.LossCurve.Select(p => (double)p.Step).ToArray(), r.LossCurve.Select(p => p.Loss).ToArray())).ToList();
        }

        double[] mean = steps.Select((_, k) => runs.Average(r => r.LossCurve[k].Loss)).ToArray();
        return [(steps, mean)];
    }

    /// <summary>Image size: room on the right for the legend.</summary>
    public static (int Width, int Height) ImageSize(IReadOnlyList<VariantSummary> variants)
    {
        float legend = TickLabelFit.WidestLabel(variants.Select(v => LegendText(v, seedsApart: true)), LegendFontSize);
        return (900 + (int)MathF.Ceiling(Math.Max(legend, 100)) + 60, 500);
    }

    /// <summary>
    /// Builds the plot. On a log axis the lines hold log10(loss) and the tick labels show the loss itself (ScottPlot 5
    /// has no log axis of its own; see <see cref="LogTicks"/>).
    /// </summary>
    public static Plot Create(IReadOnlyList<VariantSummary> variants, string title)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(title);

        bool log = UsesLogScale(variants);
        var plot = new Plot();
        for (int i = 0; i < variants.Count; i++)
        {
            var curves = Curves(variants[i]);
            bool seedsApart = curves.Count > 1;
            Color color = VariantPalette.Of(i, variants.Count);
            for (int c = 0; c < curves.Count; c++)
            {
                double[] ys = log ? curves[c].Losses.Select(Math.Log10).ToArray() : curves[c].Losses;
                var line = plot.Add.ScatterLine(curves[c].Steps, ys, seedsApart ? color.WithAlpha(0.6) : color);
                line.LineWidth = seedsApart ? 1 : 2;
                line.LegendText = c == 0 ? LegendText(variants[i], seedsApart) : "";
            }
        }

        if (log)
        {
            plot.Axes.Left.TickGenerator = LogTicks(variants);
        }

        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = LegendFontSize;
        plot.Title(PlotText.Ascii(title));
        plot.XLabel("global step");
        plot.YLabel(log ? "training loss (log scale)" : "training loss");
        return plot;
    }

    /// <summary>
    /// Ticks for a log10 axis covering the losses: labelled majors at 1, 2 and 5 × 10^k (a span of one or two decades
    /// would otherwise get a single label), unlabelled minors at the other integer multiples.
    /// </summary>
    public static ScottPlot.TickGenerators.NumericManual LogTicks(IReadOnlyList<VariantSummary> variants)
    {
        var losses = variants.SelectMany(v => v.Runs).SelectMany(r => r.LossCurve).Select(p => p.Loss).ToList();
        double low = Math.Log10(losses.Min()) - 0.05, high = Math.Log10(losses.Max()) + 0.05;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int decade = (int)Math.Floor(low); decade <= (int)Math.Ceiling(high); decade++)
        {
            for (int multiple = 1; multiple <= 9; multiple++)
            {
                double position = decade + Math.Log10(multiple);
                if (position < low || position > high) continue;
                if (multiple is 1 or 2 or 5)
                {
                    ticks.AddMajor(position, (multiple * Math.Pow(10, decade)).ToString("G3", CultureInfo.InvariantCulture));
                }
                else
                {
                    ticks.AddMinor(position);
                }
            }
        }

        return ticks;
    }

    private static string LegendText(VariantSummary v, bool seedsApart) =>
        PlotText.Ascii(v.Label) + (seedsApart ? " (each seed)"
            : v.Runs.Count(r => r.LossCurve.Count > 0) > 1 ? " (mean of seeds)" : "");
}
