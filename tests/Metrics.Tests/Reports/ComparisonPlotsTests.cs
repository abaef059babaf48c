using System.Xml.Linq;
using Harness.Metrics.Plots;
using Harness.Metrics.Reports;
using Harness.Metrics.Tests.Plots;
using ScottPlot;
using ScottPlot.Plottables;
using static Harness.Metrics.Tests.Reports.ComparisonSample;

namespace Harness.Metrics.Tests.Reports;

public sealed class ComparisonPlotsTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Write_FourVariants_WritesEveryFigureAsPngAndSvgInReportOrder()
    {
        // Given two sequential variants, a joint one and a single-seed one over three domains
        using var dir = new TempDirectory();
        SuiteSummary summary = Create();

        // When
        IReadOnlyList<ReportFigure> figures = ComparisonPlots.Write(summary, dir.Path);

        // Then one bar chart, one forgetting plot per domain, one heatmap per variant (labels made file-safe), the losses
        string[] expected =
        [
            "summary_bars", "forgetting_math", "forgetting_poetry", "forgetting_history",
            "heatmap_naive", "heatmap_replay_buffer=200", "heatmap_joint_all", "heatmap_ewc_lambda=0.5", "loss_curves",
        ];
        Assert.Equal(expected, figures.Select(f => Path.GetFileNameWithoutExtension(f.PngPath)));
        Assert.Equal(expected, figures.Select(f => Path.GetFileNameWithoutExtension(f.SvgPath)));
        Assert.Equal(
            ["Summary", "Forgetting", "Forgetting", "Forgetting", "Accuracy matrices", "Accuracy matrices", "Accuracy matrices", "Accuracy matrices", "Training loss"],
            figures.Select(f => f.Section));
        Assert.All(figures, f => Assert.False(string.IsNullOrWhiteSpace(f.Caption)));
        Assert.Equal(expected.SelectMany(n => new[] { n + ".png", n + ".svg" }).Order(StringComparer.Ordinal), dir.FileNames());

        // and every PNG decodes at the size its plot asks for, every SVG is XML with an <svg> root of the same size
        IReadOnlyList<VariantSummary> variants = summary.Variants;
        var sizes = new List<(int, int)> { SummaryBarsPlot.ImageSize(variants) };
        sizes.AddRange(Domains.Select(_ => DomainForgettingPlot.ImageSize(variants)));
        sizes.AddRange(variants.Select(v => AccuracyMatrixPlot.ImageSize(v.MeanMatrix)));
        sizes.Add(LossCurvesPlot.ImageSize(variants));
        for (int i = 0; i < figures.Count; i++)
        {
            Assert.Equal(sizes[i], PngFile.ReadSize(figures[i].PngPath));
            using var image = new Image(figures[i].PngPath);
            Assert.Equal(sizes[i], (image.Width, image.Height));

            XElement svg = XDocument.Load(figures[i].SvgPath).Root!;
            Assert.Equal("svg", svg.Name.LocalName);
            Assert.Equal(sizes[i], ((int)svg.Attribute("width")!, (int)svg.Attribute("height")!));
        }
    }

    [Fact]
    public void Write_HeatmapSvg_HoldsTheMeanCellValuesAndSeedCountAsText()
    {
        // Given replay's seeds end at math 0.7 and 0.8 (mean 0.75), poetry 0.75 and 0.75; naive's at 0.3/0.1, 0.4/0.6, 0.9/0.7
        using var dir = new TempDirectory();

        // When
        IReadOnlyList<ReportFigure> figures = ComparisonPlots.Write(Create(), dir.Path);

        // Then the SVG text (not a bitmap) carries the means and the title says how many seeds they average
        string[] replay = SvgTexts(figures.Single(f => f.SvgPath.EndsWith("heatmap_replay_buffer=200.svg", StringComparison.Ordinal)).SvgPath);
        Assert.Equal(2, replay.Count(t => t == "0.75"));
        Assert.Contains("replay,buffer=200: mean of 2 seeds", replay);
        string[] naive = SvgTexts(figures.Single(f => f.SvgPath.EndsWith("heatmap_naive.svg", StringComparison.Ordinal)).SvgPath);
        Assert.Contains("0.20", naive);
        Assert.Contains("0.50", naive);
        Assert.Contains("0.80", naive);
        string[] ewc = SvgTexts(figures.Single(f => f.SvgPath.EndsWith("heatmap_ewc_lambda=0.5.svg", StringComparison.Ordinal)).SvgPath);
        Assert.Contains("ewc lambda=0.5: mean of 1 seed", ewc);
    }

    [Fact]
    public void Write_NonAsciiDomainsAndLabels_GetDistinctSafeFileNames()
    {
        // Given two Chinese domain ids (both sanitize to "__") and variant labels that differ only outside ASCII ("___")
        using var dir = new TempDirectory();
        string[] domains = ["数学", "诗歌"];
        AccuracyMatrix m = new(domains, ["initial", .. domains], new[,] { { 0.1, 0.2 }, { 0.9, 0.2 }, { 0.5, 0.8 } });
        var summary = SummaryAggregator.Aggregate("中文", [
            ("策略α", [Run("策略α", 1, m, new() { ["acc"] = 0.65 }, [])]),
            ("策略β", [Run("策略β", 1, m, new() { ["acc"] = 0.65 }, [])]),
        ]);

        // When
        IReadOnlyList<ReportFigure> figures = ComparisonPlots.Write(summary, dir.Path);

        // Then every figure has its own file, named with safe characters only
        Assert.Equal(
            ["summary_bars", "forgetting___", "forgetting___-2", "heatmap____", "heatmap____-2"],
            figures.Select(f => Path.GetFileNameWithoutExtension(f.PngPath)));
        Assert.All(figures, f => Assert.True(File.Exists(f.PngPath) && File.Exists(f.SvgPath)));
        Assert.Equal(10, dir.FileNames().Length);
    }

    [Fact]
    public void Write_NoVariants_WritesNothing()
    {
        // Given
        using var dir = new TempDirectory();
        var empty = new SuiteSummary("empty", [], [], []);

        // When
        IReadOnlyList<ReportFigure> figures = ComparisonPlots.Write(empty, dir.Path);

        // Then
        Assert.Empty(figures);
        Assert.Empty(dir.FileNames());
    }

    [Fact]
    public void Write_NoLossCurves_LeavesTheLossFigureOut()
    {
        // Given only the joint variant, which logged no loss
        using var dir = new TempDirectory();
        SuiteSummary all = Create();
        var jointOnly = all with { Variants = [all.Variants[2]] };

        // When
        IReadOnlyList<ReportFigure> figures = ComparisonPlots.Write(jointOnly, dir.Path);

        // Then bars (acc only), three forgetting plots and one heatmap
        Assert.Equal(["Summary", "Forgetting", "Forgetting", "Forgetting", "Accuracy matrices"], figures.Select(f => f.Section));
    }

    [Fact]
    public void SummaryBars_Create_BarsAreMeansWithStdErrorsAndUndefinedMetricsAreAbsent()
    {
        // Given the sample (means and stds worked out in ComparisonSample)
        IReadOnlyList<VariantSummary> variants = Create().Variants;

        // When
        using Plot plot = SummaryBarsPlot.Create(variants, "bars");

        // Then one bar series per variant, in order, named with its seed count
        BarPlot[] series = plot.GetPlottables<BarPlot>().ToArray();
        Assert.Equal(["naive (n=2)", "replay,buffer=200 (n=2)", "joint_all (n=2)", "ewc lambda=0.5 (n=1)"], series.Select(s => s.LegendText));

        // naive: acc (0.50, 0.40), bwt (-0.40, -0.50), avg_forgetting (0.45, 0.55): means 0.45, -0.45, 0.50, each std sqrt(0.005)
        AssertBars(series[0], [0.45, -0.45, 0.50], [StdOfTwoApart01, StdOfTwoApart01, StdOfTwoApart01]);
        // replay: acc (0.7, 0.8), bwt (-0.1, -0.2), avg_forgetting (0.15, 0.25)
        AssertBars(series[1], [0.75, -0.15, 0.20], [StdOfTwoApart01, StdOfTwoApart01, StdOfTwoApart01]);
        // joint: acc (0.88, 0.82): mean 0.85, std sqrt(2 · 0.03² / 1) = sqrt(0.0018); no bwt or forgetting bar, "n/a" instead
        AssertBars(series[2], [0.85], [Math.Sqrt(0.0018)]);
        Assert.Equal(0.1, series[2].Bars[0].Position, Tolerance); // group 0, third of four slots of 0.2 centred on 0
        Text[] missing = plot.GetPlottables<Text>().ToArray();
        Assert.Equal([1.1, 2.1], missing.Select(t => Math.Round(t.Location.X, 9)));
        Assert.All(missing, t => Assert.Equal(SummaryBarsPlot.Missing, t.LabelText));
        // ewc: one seed, so no std and no error bar
        Assert.Equal([0.60, -0.30, 0.35], series[3].Bars.Select(b => b.Value));
        Assert.All(series[3].Bars, b => Assert.False(b.ErrorPositive || b.ErrorNegative));
    }

    [Fact]
    public void SummaryBars_Save_BarRegionHasTheVariantColourUpToItsMean()
    {
        // Given naive's acc bar (mean 0.45) at x = 0 + (0 − 1.5) · 0.2 = −0.3
        using var dir = new TempDirectory();
        IReadOnlyList<VariantSummary> variants = Create().Variants;
        (int width, int height) = SummaryBarsPlot.ImageSize(variants);
        IReadOnlyList<ReportFigure> figures = ComparisonPlots.Write(Create(), dir.Path);

        // When the PNG is read back and the same plot laid out at the same size locates the bar
        using var image = new Image(figures[0].PngPath);
        byte[,,] rgb = image.GetArrayRGB(); // [y, x, channel]
        using Plot layout = SummaryBarsPlot.Create(variants, "sample suite: acc, bwt, avg_forgetting");
        layout.RenderInMemory(width, height);
        Pixel inside = layout.GetPixel(new Coordinates(-0.3 - 0.03, 0.2));
        Pixel above = layout.GetPixel(new Coordinates(-0.3 - 0.03, 0.6)); // above mean + std = 0.52

        // Then inside is naive's colour (Category10 blue, the first variant) and above it is not
        Color blue = VariantPalette.Of(0, 4);
        Assert.Equal(new Color(31, 119, 180), blue);
        Assert.True(Near(blue, rgb, inside), $"pixel {inside} should be {blue}");
        Assert.False(Near(blue, rgb, above), $"pixel {above} should not be {blue}");
    }

    [Fact]
    public void DomainForgetting_Create_LinesBandsJointBoundAndTrainingMark()
    {
        // Given the sample
        IReadOnlyList<VariantSummary> variants = Create().Variants;

        // When the math plot is built
        using Plot plot = DomainForgettingPlot.Create(variants, "math", "math");

        // Then the three sequential variants are lines of their mean math accuracy, coloured as in every figure
        Scatter[] lines = plot.GetPlottables<Scatter>().ToArray();
        Assert.Equal([Naive, Replay, Ewc], lines.Select(l => l.LegendText));
        Assert.Equal([0.1, 0.8, 0.4, 0.2], Ys(lines[0]).Select(y => Math.Round(y, 9))); // naive: (0.9+0.7)/2, (0.5+0.3)/2, (0.3+0.1)/2
        Assert.Equal([0.1, 0.9, 0.8, 0.75], Ys(lines[1]).Select(y => Math.Round(y, 9)));
        Assert.Equal([0.1, 0.9, 0.6, 0.5], Ys(lines[2]));
        Assert.Equal([VariantPalette.Of(0, 4), VariantPalette.Of(1, 4), VariantPalette.Of(3, 4)], lines.Select(l => l.LineColor));

        // two ±std bands (ewc has one seed); naive's spans 0.2 − sqrt(0.02) after history to 0.8 + sqrt(0.02) after math
        FillY[] bands = plot.GetPlottables<FillY>().ToArray();
        Assert.Equal(2, bands.Length);
        AxisLimits naiveBand = bands[0].GetAxisLimits();
        Assert.Equal(0.2 - Math.Sqrt(0.02), naiveBand.Bottom, Tolerance);
        Assert.Equal(0.8 + Math.Sqrt(0.02), naiveBand.Top, Tolerance);

        // the joint run is a dashed horizontal line at its mean final math accuracy (0.9 + 0.8) / 2 over stages 1..3
        HorizontalLine joint = Assert.Single(plot.GetPlottables<HorizontalLine>(), h => h.LegendText != "");
        Assert.Equal(0.85, joint.Y, Tolerance);
        Assert.Equal((1.0, 3.0), (joint.Minimum, joint.Maximum));
        Assert.Equal("joint_all (joint)", joint.LegendText);
        Assert.Equal(LinePattern.Dashed, joint.LinePattern);

        // and math is marked as trained in stage 1 (poetry would be stage 2)
        Assert.Equal(1.0, Assert.Single(plot.GetPlottables<VerticalLine>()).X);
        using Plot poetry = DomainForgettingPlot.Create(variants, "poetry", "poetry");
        Assert.Equal(2.0, Assert.Single(poetry.GetPlottables<VerticalLine>()).X);
    }

    [Fact]
    public void DomainForgetting_IsJoint_OnlyTwoRowMatricesNextToLongerOnes()
    {
        // Given
        IReadOnlyList<VariantSummary> variants = Create().Variants;
        var twoRowsOnly = new[] { variants[2] };

        // When / Then a two-row matrix is an upper bound only when sequential runs are compared with it
        Assert.Equal([false, false, true, false], variants.Select(v => DomainForgettingPlot.IsJoint(v.MeanMatrix, variants)));
        Assert.False(DomainForgettingPlot.IsJoint(variants[2].MeanMatrix, twoRowsOnly));
        Assert.Same(variants[0], DomainForgettingPlot.Reference(variants));
    }

    [Fact]
    public void LossCurves_Curves_MeanAtEqualStepsElseEachSeed()
    {
        // Given naive's seeds at steps 0, 10, 20 (losses 4, 2, 1 and 2, 1, 0.5); replay's second seed ends at step 30
        IReadOnlyList<VariantSummary> variants = Create().Variants;

        // When
        var naive = LossCurvesPlot.Curves(variants[0]);
        var replay = LossCurvesPlot.Curves(variants[1]);
        var joint = LossCurvesPlot.Curves(variants[2]);

        // Then
        var mean = Assert.Single(naive);
        Assert.Equal([0.0, 10, 20], mean.Steps);
        Assert.Equal([3.0, 1.5, 0.75], mean.Losses);
        Assert.Equal(2, replay.Count);
        Assert.Equal([0.0, 10, 30], replay[1].Steps);
        Assert.Empty(joint);
    }

    [Fact]
    public void LossCurves_Create_WideRangeIsDrawnOnALogAxis()
    {
        // Given losses from 4 down to 0.2 (a factor of 20)
        IReadOnlyList<VariantSummary> variants = Create().Variants;

        // When
        using Plot plot = LossCurvesPlot.Create(variants, "loss");
        plot.RenderInMemory(800, 500);

        // Then the lines hold log10(loss): naive's mean, both replay seeds, ewc
        Scatter[] lines = plot.GetPlottables<Scatter>().ToArray();
        Assert.Equal(4, lines.Length);
        Assert.Equal([Math.Log10(3), Math.Log10(1.5), Math.Log10(0.75)], Ys(lines[0]));
        Assert.Equal(["naive (mean of seeds)", "replay,buffer=200 (each seed)", "", "ewc lambda=0.5"], lines.Select(l => l.LegendText));
        Assert.Equal(lines[1].LineColor, lines[2].LineColor);
        Assert.True(LossCurvesPlot.UsesLogScale(variants));
        // log10 range [log 0.2 − 0.05, log 4 + 0.05] holds 0.2, 0.5, 1, 2 (0.1 and 5 fall outside)
        Assert.Equal(["0.2", "0.5", "1", "2"], plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label));
    }

    [Fact]
    public void LossCurves_UsesLogScale_NarrowRangeStaysLinear()
    {
        // Given losses from 2 to 0.5 (a factor of 4)
        var v = SummaryAggregator.Variant("narrow", [Run("narrow", 1, Sequential(new double[4, 3]), [], [(0, 2.0), (5, 0.5)])]);

        // When / Then
        Assert.False(LossCurvesPlot.UsesLogScale([v]));
        using Plot plot = LossCurvesPlot.Create([v], "loss");
        Assert.Equal([2.0, 0.5], Ys(plot.GetPlottables<Scatter>().Single()));
    }

    private static void AssertBars(BarPlot series, double[] means, double[] stds)
    {
        Assert.Equal(means.Length, series.Bars.Count);
        for (int i = 0; i < means.Length; i++)
        {
            Assert.Equal(means[i], series.Bars[i].Value, Tolerance);
            Assert.Equal(stds[i], series.Bars[i].Error, Tolerance);
            Assert.True(series.Bars[i].ErrorPositive && series.Bars[i].ErrorNegative);
        }
    }

    private static double[] Ys(Scatter line) => line.Data.GetScatterPoints().Select(p => p.Y).ToArray();

    private static string[] SvgTexts(string path) =>
        XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToArray();

    private static bool Near(Color expected, byte[,,] rgb, Pixel at)
    {
        int x = (int)Math.Round(at.X);
        int y = (int)Math.Round(at.Y);
        return Math.Abs(rgb[y, x, 0] - expected.R) <= 2 && Math.Abs(rgb[y, x, 1] - expected.G) <= 2 && Math.Abs(rgb[y, x, 2] - expected.B) <= 2;
    }
}
