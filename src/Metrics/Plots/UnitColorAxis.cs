using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>A colour axis fixed to [0, 1], so a colour bar can be drawn for cells that are plain rectangles.</summary>
internal sealed class UnitColorAxis(IColormap colormap) : IHasColorAxis
{
    public IColormap Colormap { get; } = colormap;

    public ScottPlot.Range GetRange() => new(0, 1);
}
