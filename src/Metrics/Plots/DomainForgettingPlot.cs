using Harness.Metrics.Reports;
using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>
/// One domain's accuracy after each stage, one line per variant (mean over seeds, shaded ± one std, clipped to
/// [0, 1]), so variants can be compared on how much of the domain they keep. A dotted vertical line marks the stage
/// that trains the domain; a joint variant, trained once on everything, is an upper bound drawn as a dashed horizontal
/// line at its final accuracy across the trained stages.
/// </summary>
/// <remarks>
/// The x axis is the stage index 0..T labelled "initial" then the stages of the reference variant, the sequential
/// variant with the most stages. A variant with a different curriculum order is still drawn by stage index; its own
/// training stage for the domain gets its own vertical line.
/// </remarks>
internal static class DomainForgettingPlot
{
    private const float TickFontSize = 14;

    /// <summary>
    /// True when <paramref name="m"/> is a joint run compared with sequential ones: two rows (initial, joint) while
    /// some variant of <paramref name="variants"/> has more. If every variant has two rows they are all drawn as lines.
    /// </summary>
    public static bool IsJoint(AccuracyMatrix m, IReadOnlyList<VariantSummary> variants) =>
        m.Rows == 2 && variants.Any(v => v.MeanMatrix.Rows > 2);

    /// <summary>The variant whose stages label the x axis: the longest non-joint one (the first of equals).</summary>
    public static VariantSummary Reference(IReadOnlyList<VariantSummary> variants) =>
        variants.Where(v => !IsJoint(v.MeanMatrix, variants)).MaxBy(v => v.MeanMatrix.Rows)
        ?? throw new ArgumentException("no variants", nameof(variants));

    /// <summary>Every domain of <paramref name="variants"/>, in order of first appearance.</summary>
    public static IReadOnlyList<string> Domains(IReadOnlyList<VariantSummary> variants) =>
        variants.SelectMany(v => v.MeanMatrix.Domains).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Legend text of a joint variant's line.</summary>
    public static string JointLegendText(VariantSummary v) => PlotText.Ascii(v.Label) + " (joint)";

    /// <summary>Image size: wider with more stages and longer legend entries; taller if stage labels must tilt.</summary>
    public static (int Width, int Height) ImageSize(IReadOnlyList<VariantSummary> variants)
    {
        (int width, int height, float tilted) = Layout(variants);
        return (width, height + (int)MathF.Ceiling(tilted));
    }

    /// <summary>Builds the plot of <paramref name="domain"/> over the variants that evaluate it.</summary>
    public static Plot Create(IReadOnlyList<VariantSummary> variants, string domain, string title)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(title);

        AccuracyMatrix reference = Reference(variants).MeanMatrix;
        int lastStage = reference.Rows - 1;
        var plot = new Plot();
        var trainedAt = new SortedSet<int>();
        for (int i = 0; i < variants.Count; i++)
        {
            VariantSummary v = variants[i];
            AccuracyMatrix m = v.MeanMatrix;
            int col = IndexOf(m.Domains, domain);
            if (col < 0) continue;

            Color color = VariantPalette.Of(i, variants.Count);
            if (IsJoint(m, variants))
            {
                var joint = plot.Add.HorizontalLine(m[1, col], 2, color, LinePattern.Dashed);
                joint.Minimum = 1;
                joint.Maximum = lastStage;
                joint.LegendText = JointLegendText(v);
                continue;
            }

            double[] xs = Enumerable.Range(0, m.Rows).Select(r => (double)r).ToArray();
            double[] ys = Enumerable.Range(0, m.Rows).Select(r => m[r, col]).ToArray();
            if (v.StdMatrix is { } std)
            {
                double[] lower = xs.Select((_, r) => Math.Max(0, ys[r] - std[r, col])).ToArray();
                double[] upper = xs.Select((_, r) => Math.Min(1, ys[r] + std[r, col])).ToArray();
                var band = plot.Add.FillY(xs, lower, upper);
                band.FillColor = color.WithAlpha(0.2);
                band.LineWidth = 0;
            }

            var line = plot.Add.Scatter(xs, ys, color);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.LegendText = PlotText.Ascii(v.Label);

            for (int r = 1; r < m.Rows; r++)
            {
                if (string.Equals(m.Stages[r], domain, StringComparison.Ordinal)) trainedAt.Add(r);
            }
        }

        bool first = true;
        foreach (int stage in trainedAt)
        {
            var mark = plot.Add.VerticalLine(stage, 1, Colors.Gray, LinePattern.Dotted);
            mark.LegendText = first ? "trained on " + PlotText.Ascii(domain) : "";
            first = false;
        }

        TickLabelFit.StageTicks(plot, reference.Stages, TickFontSize, Layout(variants).TiltedLabelHeight);

        plot.Axes.SetLimits(left: -0.25, right: lastStage + 0.25, bottom: -0.02, top: 1.02);
        plot.ShowLegend(Edge.Right);
        plot.Title(PlotText.Ascii(title));
        plot.XLabel("after stage");
        plot.YLabel("accuracy on " + PlotText.Ascii(domain));
        return plot;
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.Ordinal)) return i;
        }

        return -1;
    }

    /// <summary>Base image size and the height of tilted stage labels (0 when they fit horizontally).</summary>
    private static (int Width, int Height, float TiltedLabelHeight) Layout(IReadOnlyList<VariantSummary> variants)
    {
        AccuracyMatrix reference = Reference(variants).MeanMatrix;
        var legend = variants.Select(v => IsJoint(v.MeanMatrix, variants) ? JointLegendText(v) : PlotText.Ascii(v.Label));
        float legendWidth = Math.Max(TickLabelFit.WidestLabel(legend, TickFontSize), 100) + 60;
        int plotWidth = Math.Clamp(400 + 90 * reference.Rows, 720, 2000);
        const int height = 500;
        // Data width ≈ plot width − y axis (≈ 90 px); ticks sit one stage apart over Rows − 0.5 stage widths.
        double slotWidth = (plotWidth - 90) / Math.Max(reference.Rows - 0.5, 1);
        float tilted = TickLabelFit.TiltedHeight(reference.Stages.Select(PlotText.Ascii), TickFontSize, slotWidth);
        return (plotWidth + (int)MathF.Ceiling(legendWidth), height, tilted);
    }
}
