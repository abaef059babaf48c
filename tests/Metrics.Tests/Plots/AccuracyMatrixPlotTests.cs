using Harness.Metrics.Plots;
using ScottPlot;

namespace Harness.Metrics.Tests.Plots;

public sealed class AccuracyMatrixPlotTests
{
    private static AccuracyMatrix Sample() => new(
        ["math", "poetry", "history"],
        ["initial", "math", "poetry", "history"],
        new[,]
        {
            { 0.10, 0.05, 0.20 },
            { 0.80, 0.15, 0.25 },
            { 0.60, 0.90, 0.30 },
            { 0.55, 0.70, 0.85 },
        });

    [Fact]
    public void Save_SequentialMatrix_WritesValidPngOfImageSize()
    {
        // Given
        using var dir = new TempDirectory();
        string path = dir.File("accuracy_matrix.png");
        AccuracyMatrix m = Sample();

        // When
        AccuracyMatrixPlot.Save(m, path, "naive, seed 1");

        // Then the header is a PNG of the advertised size, it decodes, and no temporary file is left
        Assert.Equal(AccuracyMatrixPlot.ImageSize(m), PngFile.ReadSize(path));
        using var image = new Image(path);
        Assert.Equal(AccuracyMatrixPlot.ImageSize(m), (image.Width, image.Height));
        Assert.Equal(["accuracy_matrix.png"], dir.FileNames());
    }

    [Fact]
    public void Save_ZeroTopLeftOneBottomLeft_RowZeroIsDrawnAtTheTop()
    {
        // Given a matrix whose first column goes from 0.0 (initial) to 1.0 (after the last stage)
        using var dir = new TempDirectory();
        string path = dir.File("orientation.png");
        AccuracyMatrix m = new(
            ["math", "poetry", "history"],
            ["initial", "math", "poetry", "history"],
            new[,]
            {
                { 0.0, 0.5, 0.5 },
                { 0.5, 0.5, 0.5 },
                { 0.5, 0.5, 0.5 },
                { 1.0, 0.5, 0.5 },
            });

        // When the PNG is saved and read back
        AccuracyMatrixPlot.Save(m, path, "orientation");
        using var image = new Image(path);
        byte[,,] rgb = image.GetArrayRGB(); // [y, x, channel]

        // Then locate the cells with the same plot laid out at the same size (rendering is deterministic),
        // sampling left of each cell's centre so the printed value does not cover the sample
        (int width, int height) = AccuracyMatrixPlot.ImageSize(m);
        using Plot layout = AccuracyMatrixPlot.Create(m, "orientation");
        layout.RenderInMemory(width, height);
        Pixel topLeft = SamplePoint(layout, AccuracyMatrixPlot.CellRect(m, row: 0, col: 0));
        Pixel bottomLeft = SamplePoint(layout, AccuracyMatrixPlot.CellRect(m, row: 3, col: 0));

        Assert.True(topLeft.Y < bottomLeft.Y, $"row 0 at y={topLeft.Y} should be above row 3 at y={bottomLeft.Y}");
        AssertColorNear(AccuracyMatrixPlot.CellColor(0.0), rgb, topLeft);
        AssertColorNear(AccuracyMatrixPlot.CellColor(1.0), rgb, bottomLeft);
    }

    [Fact]
    public void CellColor_ZeroAndOne_AreFarApart()
    {
        // Given / When the two ends of the scale (the orientation test relies on telling them apart)
        Color low = AccuracyMatrixPlot.CellColor(0.0);
        Color high = AccuracyMatrixPlot.CellColor(1.0);

        // Then
        int distance = Math.Abs(low.R - high.R) + Math.Abs(low.G - high.G) + Math.Abs(low.B - high.B);
        Assert.True(distance > 200, $"0.0 -> {low}, 1.0 -> {high}");
    }

    [Fact]
    public void Save_JointAndSingleDomainMatrices_WriteValidPngs()
    {
        // Given a joint matrix and a T = 1 matrix
        using var dir = new TempDirectory();
        AccuracyMatrix joint = new(["math", "poetry"], ["initial", "joint"], new[,] { { 0.1, 0.2 }, { 0.8, 0.7 } });
        AccuracyMatrix single = new(["math"], ["initial", "math"], new[,] { { 0.1 }, { 0.9 } });

        // When
        AccuracyMatrixPlot.Save(joint, dir.File("joint.png"), "joint");
        AccuracyMatrixPlot.Save(single, dir.File("single.png"), "single");

        // Then
        Assert.Equal(AccuracyMatrixPlot.ImageSize(joint), PngFile.ReadSize(dir.File("joint.png")));
        Assert.Equal(AccuracyMatrixPlot.ImageSize(single), PngFile.ReadSize(dir.File("single.png")));
    }

    [Fact]
    public void Save_NonAsciiLabels_WritesValidPng()
    {
        // Given labels and a title no installed font may cover
        using var dir = new TempDirectory();
        string path = dir.File("cjk.png");
        AccuracyMatrix m = new(["数学", "poésie"], ["initial", "数学", "poésie"], new[,]
        {
            { 0.1, 0.2 },
            { 0.9, 0.3 },
            { 0.5, 0.8 },
        });

        // When
        AccuracyMatrixPlot.Save(m, path, "准确率");

        // Then
        Assert.Equal(AccuracyMatrixPlot.ImageSize(m), PngFile.ReadSize(path));
    }

    [Fact]
    public void ImageSize_LongDomainIds_IsTallerToFitTiltedLabels()
    {
        // Given the same shape with short and with long domain ids
        AccuracyMatrix shortIds = new(["a", "b", "c"], ["initial", "a", "b", "c"], new double[4, 3]);
        string[] longIds = ["arithmetic_word_problems", "victorian_poetry_corpus", "european_history_qa"];
        AccuracyMatrix longIdMatrix = new(longIds, ["initial", .. longIds], new double[4, 3]);

        // When
        (int shortWidth, int shortHeight) = AccuracyMatrixPlot.ImageSize(shortIds);
        (int longWidth, int longHeight) = AccuracyMatrixPlot.ImageSize(longIdMatrix);

        // Then
        Assert.Equal(shortWidth, longWidth);
        Assert.True(longHeight > shortHeight, $"{longHeight} should exceed {shortHeight}");
    }

    [Fact]
    public void CellRect_RowZero_IsTheTopRowOfUnitSquares()
    {
        // Given a 4 × 3 matrix
        AccuracyMatrix m = Sample();

        // When
        CoordinateRect top = AccuracyMatrixPlot.CellRect(m, 0, 2);
        CoordinateRect bottom = AccuracyMatrixPlot.CellRect(m, 3, 0);

        // Then
        Assert.Equal((2.0, 3.0, 3.0, 4.0), (top.Left, top.Right, top.Bottom, top.Top));
        Assert.Equal((0.0, 1.0, 0.0, 1.0), (bottom.Left, bottom.Right, bottom.Bottom, bottom.Top));
    }

    private static Pixel SamplePoint(Plot layout, CoordinateRect cell) =>
        layout.GetPixel(new Coordinates(cell.Left + 0.15 * (cell.Right - cell.Left), (cell.Top + cell.Bottom) / 2));

    private static void AssertColorNear(Color expected, byte[,,] rgb, Pixel at)
    {
        int x = (int)Math.Round(at.X);
        int y = (int)Math.Round(at.Y);
        (byte r, byte g, byte b) = (rgb[y, x, 0], rgb[y, x, 1], rgb[y, x, 2]);
        bool near = Math.Abs(r - expected.R) <= 2 && Math.Abs(g - expected.G) <= 2 && Math.Abs(b - expected.B) <= 2;
        Assert.True(near, $"pixel ({x}, {y}) is ({r}, {g}, {b}); expected ({expected.R}, {expected.G}, {expected.B})");
    }
}
