using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>Keeps long bottom-axis tick labels (domain ids, stage labels) from running into each other.</summary>
internal static class TickLabelFit
{
    private const float RotationDegrees = 45;

    /// <summary>Width in pixels of the widest of <paramref name="labels"/> at <paramref name="fontSize"/>.</summary>
    public static float WidestLabel(IEnumerable<string> labels, float fontSize)
    {
        var style = new LabelStyle { FontSize = fontSize };
        using Paint paint = Paint.NewDisposablePaint();
        (_, PixelLength width) = style.MeasureWidestString(labels.ToArray(), paint);
        return width.Length;
    }

    /// <summary>
    /// The height the labels take when tilted, or 0 when the widest fits in <paramref name="slotPixels"/> (the
    /// distance between neighbouring ticks) and they can stay horizontal.
    /// </summary>
    public static float TiltedHeight(IEnumerable<string> labels, float fontSize, double slotPixels)
    {
        float widest = WidestLabel(labels, fontSize);
        return widest <= 0.9 * slotPixels ? 0 : widest * MathF.Sin(RotationDegrees * MathF.PI / 180) + fontSize;
    }

    /// <summary>Tilts the bottom tick labels and reserves <paramref name="tiltedHeight"/> for them.</summary>
    public static void Tilt(IXAxis axis, float tiltedHeight)
    {
        axis.TickLabelStyle.Rotation = RotationDegrees;
        axis.TickLabelStyle.Alignment = Alignment.UpperLeft;
        // The axis panel does not measure rotated labels: reserve their height plus room for the axis title.
        axis.MinimumSize = tiltedHeight + axis.Label.FontSize + 16;
    }

    /// <summary>
    /// Labels the bottom axis with one tick per stage (x = row index), ASCII for fonts without CJK glyphs, tilted
    /// when <paramref name="tiltedHeight"/> (from <see cref="TiltedHeight"/>) says they do not fit side by side.
    /// </summary>
    public static void StageTicks(Plot plot, IReadOnlyList<string> stages, float fontSize, float tiltedHeight)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int r = 0; r < stages.Count; r++)
        {
            ticks.AddMajor(r, PlotText.Ascii(stages[r]));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.FontSize = fontSize;
        if (tiltedHeight > 0)
        {
            Tilt(plot.Axes.Bottom, tiltedHeight);
        }
    }
}
