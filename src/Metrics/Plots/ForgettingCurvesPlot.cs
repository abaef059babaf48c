using Harness.Metrics.IO;
using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>
/// Draws one line per domain of an <see cref="AccuracyMatrix"/>: its accuracy (y, 0..1) after each stage (x, the
/// row labels). Where a row label names a domain, that domain's point is marked as "trained in this stage", so
/// forgetting reads as the drop after the mark.
/// </summary>
public static class ForgettingCurvesPlot
{
    private const float TrainedMarkerSize = 15;
    private const float TickFontSize = 14;

    /// <summary>
    /// The PNG size <see cref="Save"/> uses for <paramref name="m"/>: grows with the number of rows, within limits, and
    /// leaves room below for stage labels that have to be tilted to fit.
    /// </summary>
    public static (int Width, int Height) ImageSize(AccuracyMatrix m)
    {
        (int width, int height, float tiltedHeight) = Layout(m);
        return (width, height + (int)MathF.Ceiling(tiltedHeight));
    }

    /// <summary>Builds the plot without rendering it; <see cref="Save"/> renders it at <see cref="ImageSize"/>.</summary>
    public static Plot Create(AccuracyMatrix m, string title)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(title);

        var plot = new Plot();
        double[] xs = Enumerable.Range(0, m.Rows).Select(r => (double)r).ToArray();
        bool anyTrainedMark = false;
        for (int c = 0; c < m.Columns; c++)
        {
            double[] ys = Enumerable.Range(0, m.Rows).Select(r => m[r, c]).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = PlotText.Ascii(m.Domains[c]);
            line.LineWidth = 2;
            line.MarkerSize = 6;

            for (int r = 1; r < m.Rows; r++)
            {
                if (string.Equals(m.Stages[r], m.Domains[c], StringComparison.Ordinal))
                {
                    var mark = plot.Add.Marker(r, m[r, c], MarkerShape.FilledDiamond, TrainedMarkerSize, line.Color);
                    mark.MarkerLineColor = Colors.Black;
                    mark.MarkerLineWidth = 1;
                    anyTrainedMark = true;
                }
            }
        }

        if (anyTrainedMark)
        {
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = "trained in this stage",
                MarkerShape = MarkerShape.FilledDiamond,
                MarkerSize = TrainedMarkerSize,
                MarkerFillColor = Colors.Gray,
                MarkerLineColor = Colors.Black,
                MarkerLineWidth = 1,
            });
        }

        TickLabelFit.StageTicks(plot, m.Stages, TickFontSize, Layout(m).TiltedLabelHeight);

        plot.Axes.SetLimits(left: -0.25, right: m.Rows - 0.75, bottom: -0.02, top: 1.02);
        plot.ShowLegend(Edge.Right);

        plot.Title(PlotText.Ascii(title));
        plot.XLabel("after stage");
        plot.YLabel("accuracy");
        return plot;
    }

    /// <summary>
    /// Renders the curves of <paramref name="m"/> to a PNG at <paramref name="pngPath"/>, written atomically
    /// (<see cref="AtomicFile"/>), at <see cref="ImageSize"/>. Non-ASCII characters in labels and title are shown as
    /// '?' so the text stays readable on machines without CJK fonts.
    /// </summary>
    public static void Save(AccuracyMatrix m, string pngPath, string title)
    {
        (int width, int height) = ImageSize(m);
        using Plot plot = Create(m, title);
        AtomicFile.WriteAllBytes(pngPath, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    /// <summary>Base image size, and the height of the stage labels if they must be tilted (0 if not).</summary>
    private static (int Width, int Height, float TiltedLabelHeight) Layout(AccuracyMatrix m)
    {
        ArgumentNullException.ThrowIfNull(m);

        int width = Math.Clamp(480 + 90 * m.Rows, 800, 2400);
        const int height = 500;
        // Data width ≈ image width − y axis (≈ 90 px) − legend (widest domain id + symbol and padding ≈ 100 px).
        float legendWidth = TickLabelFit.WidestLabel(m.Domains.Select(PlotText.Ascii), TickFontSize);
        double slotWidth = (width - Math.Max(legendWidth, 140) - 190) / Math.Max(m.Rows - 0.5, 1);
        return (width, height, TickLabelFit.TiltedHeight(m.Stages.Select(PlotText.Ascii), TickFontSize, slotWidth));
    }
}
