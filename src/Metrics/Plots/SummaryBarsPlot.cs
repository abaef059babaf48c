using System.Globalization;
using Harness.Metrics.Reports;
using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>
/// Grouped bars of a comparison's headline metrics: one group per metric (acc, bwt, avg_forgetting), one bar per
/// variant in its <see cref="VariantPalette"/> colour, the mean over seeds with a one-std error bar. A metric a variant
/// does not have (bwt of a joint run) gets no bar but an "n/a" at zero, so it cannot be read as a value of 0.
/// </summary>
/// <remarks>
/// Grouping by metric puts the variants side by side where they are compared; the three metrics share one value axis
/// because all are accuracies or differences of accuracies.
/// </remarks>
internal static class SummaryBarsPlot
{
    /// <summary>The metrics drawn, in order, when at least one variant has them.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["acc", "bwt", "avg_forgetting"];

    /// <summary>Text drawn where a variant has no value for a metric.</summary>
    public const string Missing = "n/a";

    private const float TickFontSize = 14;

    /// <summary>The metrics of <see cref="Metrics"/> that at least one of <paramref name="variants"/> has.</summary>
    public static IReadOnlyList<string> DrawnMetrics(IReadOnlyList<VariantSummary> variants) =>
        Metrics.Where(m => variants.Any(v => v[m] is not null)).ToList();

    /// <summary>The x position of variant <paramref name="variant"/>'s bar in metric group <paramref name="group"/>.</summary>
    public static double BarPosition(int group, int variant, int variantCount) =>
        group + (variant - (variantCount - 1) / 2.0) * BarSlot(variantCount);

    /// <summary>Legend text of a variant: its label (ASCII) and how many seeds it averages.</summary>
    public static string LegendText(VariantSummary v) =>
        PlotText.Ascii(v.Label) + string.Create(CultureInfo.InvariantCulture, $" (n={v.Runs.Count})");

    /// <summary>Image size: wider with more bars and longer variant labels.</summary>
    public static (int Width, int Height) ImageSize(IReadOnlyList<VariantSummary> variants)
    {
        int bars = Math.Max(1, DrawnMetrics(variants).Count * variants.Count);
        float legend = TickLabelFit.WidestLabel(variants.Select(LegendText), TickFontSize);
        return (Math.Clamp(360 + 40 * bars, 560, 2000) + (int)MathF.Ceiling(legend) + 60, 500);
    }

    /// <summary>
    /// Builds the plot: one <see cref="ScottPlot.Plottables.BarPlot"/> per variant (its legend entry), holding one bar
    /// per metric it has, with <c>Error</c> = std (no error bar where std is undefined, n = 1).
    /// </summary>
    public static Plot Create(IReadOnlyList<VariantSummary> variants, string title)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(title);

        IReadOnlyList<string> metrics = DrawnMetrics(variants);
        var plot = new Plot();
        // acc, bwt and forgetting live on the accuracy scale: always show 0..1, so bars of different suites compare by eye
        // and a suite of zeros is not blown up to a range of ±0.008.
        double low = 0, high = 1;
        for (int i = 0; i < variants.Count; i++)
        {
            VariantSummary v = variants[i];
            Color color = VariantPalette.Of(i, variants.Count);
            var bars = new List<Bar>();
            for (int g = 0; g < metrics.Count; g++)
            {
                double position = BarPosition(g, i, variants.Count);
                if (v[metrics[g]] is not { } stats)
                {
                    var missing = plot.Add.Text(Missing, position, 0);
                    missing.Alignment = Alignment.LowerCenter;
                    missing.LabelFontSize = 11;
                    missing.LabelFontColor = Colors.Gray;
                    continue;
                }

                double std = stats.Std ?? 0;
                bars.Add(new Bar
                {
                    Position = position,
                    Value = stats.Mean,
                    Size = 0.9 * BarSlot(variants.Count),
                    Error = std,
                    // Whiskers in axis units: ScottPlot's default spans several narrow bars of a crowded group.
                    ErrorSize = 0.5 * BarSlot(variants.Count),
                    ErrorPositive = stats.Std is not null,
                    ErrorNegative = stats.Std is not null,
                    FillColor = color,
                    // The error bar is drawn with the bar's line style: an outline of zero width would hide it.
                    LineColor = Colors.Black,
                    LineWidth = 1,
                });
                low = Math.Min(low, stats.Mean - std);
                high = Math.Max(high, stats.Mean + std);
            }

            if (bars.Count == 0)
            {
                // Still one legend entry, so the variant's "n/a" marks are explained.
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = LegendText(v), FillColor = color });
                continue;
            }

            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = LegendText(v);
        }

        plot.Add.HorizontalLine(0, 1, Colors.Black, LinePattern.Solid);

        var groupTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int g = 0; g < metrics.Count; g++)
        {
            groupTicks.AddMajor(g, metrics[g]);
        }

        plot.Axes.Bottom.TickGenerator = groupTicks;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = TickFontSize;
        double margin = 0.08 * Math.Max(high - low, 0.1);
        plot.Axes.SetLimits(left: -0.5, right: Math.Max(metrics.Count, 1) - 0.5, bottom: low - margin, top: high + margin);

        plot.ShowLegend(Edge.Right);
        plot.Title(PlotText.Ascii(title));
        plot.YLabel("mean over seeds (error bar: 1 std)");
        return plot;
    }

    // Width of one variant's slot within a group: the group takes 0.8 of the unit between groups.
    private static double BarSlot(int variantCount) => 0.8 / Math.Max(variantCount, 1);
}
