using ScottPlot;

namespace Harness.Metrics.Plots;

/// <summary>
/// One colour per variant of a comparison, by its position in the comparison, so a variant has the same colour in
/// every figure of a report.
/// </summary>
internal static class VariantPalette
{
    private static readonly IPalette Ten = new ScottPlot.Palettes.Category10();
    private static readonly IPalette Twenty = new ScottPlot.Palettes.Category20();

    /// <summary>The colour of variant <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <remarks>Category10 while it has enough distinct colours; beyond ten variants, Category20 (paler pairs).</remarks>
    public static Color Of(int index, int count) => (count <= 10 ? Ten : Twenty).GetColor(index);
}
