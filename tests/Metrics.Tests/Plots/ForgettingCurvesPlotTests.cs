using Harness.Metrics.Plots;

namespace Harness.Metrics.Tests.Plots;

public sealed class ForgettingCurvesPlotTests
{
    [Fact]
    public void Save_SequentialMatrix_WritesValidPngOfImageSize()
    {
        // Given
        using var dir = new TempDirectory();
        string path = dir.File("forgetting.png");
        AccuracyMatrix m = new(["math", "poetry", "history"], ["initial", "math", "poetry", "history"], new[,]
        {
            { 0.10, 0.05, 0.20 },
            { 0.80, 0.15, 0.25 },
            { 0.60, 0.90, 0.30 },
            { 0.55, 0.70, 0.85 },
        });

        // When
        ForgettingCurvesPlot.Save(m, path, "naive, seed 1");

        // Then
        Assert.Equal(ForgettingCurvesPlot.ImageSize(m), PngFile.ReadSize(path));
        using var image = new ScottPlot.Image(path);
        Assert.Equal(ForgettingCurvesPlot.ImageSize(m), (image.Width, image.Height));
        Assert.Equal(["forgetting.png"], dir.FileNames());
    }

    [Fact]
    public void Create_StagesNameDomains_MarksEachDomainWhereItWasTrained()
    {
        // Given three sequential stages named after their domains
        AccuracyMatrix m = new(["math", "poetry", "history"], ["initial", "math", "poetry", "history"], new double[4, 3]);

        // When
        using ScottPlot.Plot plot = ForgettingCurvesPlot.Create(m, "marks");

        // Then one line per domain and one "trained here" mark per domain, explained once in the legend
        Assert.Equal(3, plot.GetPlottables<ScottPlot.Plottables.Scatter>().Count());
        Assert.Equal(3, plot.GetPlottables<ScottPlot.Plottables.Marker>().Count());
        Assert.Single(plot.Legend.ManualItems);
    }

    [Fact]
    public void Create_JointStage_HasNoTrainedMarks()
    {
        // Given a joint stage, whose label names no domain
        AccuracyMatrix m = new(["math", "poetry"], ["initial", "joint"], new[,] { { 0.1, 0.2 }, { 0.8, 0.7 } });

        // When
        using ScottPlot.Plot plot = ForgettingCurvesPlot.Create(m, "joint");

        // Then
        Assert.Empty(plot.GetPlottables<ScottPlot.Plottables.Marker>());
        Assert.Empty(plot.Legend.ManualItems);
    }

    [Fact]
    public void Save_NonAsciiAndLongLabels_WritesValidPng()
    {
        // Given labels that need the ASCII fallback and labels long enough to be tilted
        using var dir = new TempDirectory();
        string path = dir.File("forgetting.png");
        string[] domains = ["数学", "a_rather_long_domain_name", "poésie"];
        AccuracyMatrix m = new(domains, ["initial", .. domains], new[,]
        {
            { 0.1, 0.2, 0.3 },
            { 0.9, 0.3, 0.3 },
            { 0.5, 0.8, 0.4 },
            { 0.4, 0.6, 0.9 },
        });

        // When
        ForgettingCurvesPlot.Save(m, path, "准确率");

        // Then
        Assert.Equal(ForgettingCurvesPlot.ImageSize(m), PngFile.ReadSize(path));
    }
}
