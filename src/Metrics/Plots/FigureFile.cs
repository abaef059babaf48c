using Harness.Metrics.IO;
using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>Writes one plot as a PNG and an SVG of the same size, each atomically (<see cref="AtomicFile"/>).</summary>
internal static class FigureFile
{
    /// <summary>Writes <c>&lt;baseName&gt;.png</c> and <c>&lt;baseName&gt;.svg</c> into <paramref name="folder"/>; returns their paths.</summary>
    public static (string PngPath, string SvgPath) Save(Plot plot, string folder, string baseName, (int Width, int Height) size)
    {
        string png = Path.Combine(folder, baseName + ".png");
        string svg = Path.Combine(folder, baseName + ".svg");
        AtomicFile.WriteAllBytes(png, plot.GetImageBytes(size.Width, size.Height, ImageFormat.Png));
        AtomicFile.WriteAllText(svg, plot.GetSvgXml(size.Width, size.Height));
        return (png, svg);
    }
}
