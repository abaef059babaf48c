using System.Globalization;
using Harness.Metrics.IO;
using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>
/// Draws an <see cref="AccuracyMatrix"/> as a heatmap: one row per evaluation (row 0, "initial", at the top), one
/// column per domain, each cell a filled rectangle coloured on a fixed 0..1 scale and labelled with its value.
/// </summary>
/// <remarks>
/// Cells are rectangles rather than a ScottPlot heatmap so the orientation is explicit in the code and an SVG export
/// stays sharp (the heatmap plottable embeds a scaled bitmap). Labels are reduced to ASCII (see
/// <see cref="Save"/>).
/// </remarks>
public static class AccuracyMatrixPlot
{
    private const float TickFontSize = 14;

    private static readonly IColormap CellColormap = new ScottPlot.Colormaps.Viridis();

    /// <summary>The fill colour of a cell holding <paramref name="accuracy"/> (Viridis over [0, 1]).</summary>
    public static Color CellColor(double accuracy) => CellColormap.GetColor(Math.Clamp(accuracy, 0.0, 1.0));

    /// <summary>
    /// The PNG size <see cref="Save"/> uses for <paramref name="m"/>: grows with the matrix, within limits, and
    /// leaves room below for domain ids that have to be tilted to fit.
    /// </summary>
    public static (int Width, int Height) ImageSize(AccuracyMatrix m)
    {
        (int width, int height, float tiltedHeight) = Layout(m);
        return (width, height + (int)MathF.Ceiling(tiltedHeight));
    }

    /// <summary>
    /// The plot-coordinate rectangle of cell (<paramref name="row"/>, <paramref name="col"/>): unit squares with
    /// x = col and row 0 at the top, i.e. y from Rows − 1 − row to Rows − row.
    /// </summary>
    public static CoordinateRect CellRect(AccuracyMatrix m, int row, int col)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, m.Rows);
        ArgumentOutOfRangeException.ThrowIfNegative(col);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(col, m.Columns);

        double top = m.Rows - row;
        return new CoordinateRect(left: col, right: col + 1, bottom: top - 1, top: top);
    }

    /// <summary>Builds the plot without rendering it; <see cref="Save"/> renders it at <see cref="ImageSize"/>.</summary>
    public static Plot Create(AccuracyMatrix m, string title)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(title);

        var plot = new Plot();
        for (int r = 0; r < m.Rows; r++)
        {
            for (int c = 0; c < m.Columns; c++)
            {
                CoordinateRect cell = CellRect(m, r, c);
                Color fill = CellColor(m[r, c]);

                var rectangle = plot.Add.Rectangle(cell);
                rectangle.FillColor = fill;
                rectangle.LineColor = Colors.White;
                rectangle.LineWidth = 1;

                var text = plot.Add.Text(m[r, c].ToString("0.00", CultureInfo.InvariantCulture), cell.Center);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = 16;
                // Dark text on the light (yellow) end of Viridis, light text on the dark (purple) end.
                text.LabelFontColor = fill.Luminance > 0.5 ? Colors.Black : Colors.White;
            }
        }

        var rowTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int r = 0; r < m.Rows; r++)
        {
            rowTicks.AddMajor(CellRect(m, r, 0).Center.Y, PlotText.Ascii(m.Stages[r]));
        }

        var columnTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < m.Columns; c++)
        {
            columnTicks.AddMajor(c + 0.5, PlotText.Ascii(m.Domains[c]));
        }

        plot.Axes.Left.TickGenerator = rowTicks;
        plot.Axes.Bottom.TickGenerator = columnTicks;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickLabelStyle.FontSize = TickFontSize;
        plot.Axes.Bottom.TickLabelStyle.FontSize = TickFontSize;

        float tiltedHeight = Layout(m).TiltedLabelHeight;
        if (tiltedHeight > 0)
        {
            TickLabelFit.Tilt(plot.Axes.Bottom, tiltedHeight);
        }

        plot.Axes.SetLimits(left: 0, right: m.Columns, bottom: 0, top: m.Rows);
        plot.HideGrid();

        var colorBar = plot.Add.ColorBar(new UnitColorAxis(CellColormap), Edge.Right);
        colorBar.Label = "accuracy";
        var colorTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i <= 5; i++)
        {
            colorTicks.AddMajor(i / 5.0, (i / 5.0).ToString("0.0", CultureInfo.InvariantCulture));
        }

        colorBar.Axis.TickGenerator = colorTicks;

        plot.Title(PlotText.Ascii(title));
        plot.XLabel("evaluated domain");
        plot.YLabel("trained through stage");
        return plot;
    }

    /// <summary>
    /// Renders the heatmap of <paramref name="m"/> to a PNG at <paramref name="pngPath"/>, written atomically
    /// (<see cref="AtomicFile"/>), at <see cref="ImageSize"/>. Non-ASCII characters in labels and title are shown as
    /// '?' so the text stays readable on machines without CJK fonts.
    /// </summary>
    public static void Save(AccuracyMatrix m, string pngPath, string title)
    {
        (int width, int height) = ImageSize(m);
        using Plot plot = Create(m, title);
        AtomicFile.WriteAllBytes(pngPath, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    /// <summary>Base image size, and the height of the domain ids if they must be tilted (0 if not).</summary>
    private static (int Width, int Height, float TiltedLabelHeight) Layout(AccuracyMatrix m)
    {
        ArgumentNullException.ThrowIfNull(m);

        int width = Math.Clamp(360 + 120 * m.Columns, 640, 2400);
        int height = Math.Clamp(200 + 60 * m.Rows, 480, 1800);
        // Data width ≈ image width − row labels − y-axis title, colour bar and margins (≈ 180 px).
        float rowLabelWidth = TickLabelFit.WidestLabel(m.Stages.Select(PlotText.Ascii), TickFontSize);
        double cellWidth = (width - rowLabelWidth - 180) / m.Columns;
        return (width, height, TickLabelFit.TiltedHeight(m.Domains.Select(PlotText.Ascii), TickFontSize, cellWidth));
    }
}
