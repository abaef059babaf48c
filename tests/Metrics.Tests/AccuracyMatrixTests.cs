namespace Harness.Metrics.Tests;

public sealed class AccuracyMatrixTests
{
    private static AccuracyMatrix Sample() => new(["math", "poetry"], ["initial", "math", "poetry"], new[,]
    {
        { 0.1, 0.2 },
        { 0.9, 0.25 },
        { 0.5, 0.75 },
    });

    [Fact]
    public void Constructor_ValidInput_ExposesShapeLabelsAndValues()
    {
        // Given / When
        AccuracyMatrix m = Sample();

        // Then
        Assert.Equal(3, m.Rows);
        Assert.Equal(2, m.Columns);
        Assert.Equal(["math", "poetry"], m.Domains);
        Assert.Equal(["initial", "math", "poetry"], m.Stages);
        Assert.Equal(0.25, m[1, 1]);
        Assert.Equal([0.5, 0.75], m.Row(2));
    }

    [Fact]
    public void Constructor_CallerMutatesItsArrays_MatrixIsUnchanged()
    {
        // Given
        string[] domains = ["math"];
        string[] stages = ["initial", "math"];
        double[,] values = { { 0.1 }, { 0.9 } };
        AccuracyMatrix m = new(domains, stages, values);

        // When
        domains[0] = "poetry";
        stages[1] = "poetry";
        values[1, 0] = 0.0;
        m.Row(1)[0] = 0.0;

        // Then
        Assert.Equal("math", m.Domains[0]);
        Assert.Equal("math", m.Stages[1]);
        Assert.Equal(0.9, m[1, 0]);
    }

    public static TheoryData<string[], string[], double[,], string> InvalidInputs() => new()
    {
        { [], ["initial"], new double[1, 0], "at least one domain" },
        { ["math"], [], new double[0, 1], "at least one row" },
        { ["math"], ["initial", "math"], new double[1, 1], "2 stages and 1 domains" },
        { ["math", "math"], ["initial"], new double[1, 2], "appears twice" },
        { ["math,poetry"], ["initial"], new double[1, 1], "comma" },
        { [" math"], ["initial"], new double[1, 1], "whitespace" },
        { ["math"], ["initial", ""], new double[2, 1], "empty" },
        { ["math"], ["math", "initial"], new double[2, 1], "first row must be 'initial'" },
        { ["math"], ["initial"], new[,] { { 1.5 } }, "[0, 1]" },
        { ["math"], ["initial"], new[,] { { -0.1 } }, "[0, 1]" },
        { ["math"], ["initial"], new[,] { { double.NaN } }, "[0, 1]" },
        { ["math"], ["initial"], new[,] { { double.PositiveInfinity } }, "[0, 1]" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Constructor_InvalidInput_ThrowsArgumentException(
        string[] domains, string[] stages, double[,] values, string expected)
    {
        // Given invalid labels, shapes or values
        // When
        var ex = Assert.Throws<ArgumentException>(() => new AccuracyMatrix(domains, stages, values));

        // Then
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRows_RowOfWrongLength_ThrowsArgumentException()
    {
        // Given
        IReadOnlyList<double>[] rows = [[0.1, 0.2], [0.3]];

        // When
        var ex = Assert.Throws<ArgumentException>(
            () => AccuracyMatrix.FromRows(["math", "poetry"], ["initial", "math"], rows));

        // Then
        Assert.Contains("Row 1 has 1 values", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRows_ValidRows_EqualsTheArrayConstructor()
    {
        // Given / When
        AccuracyMatrix m = AccuracyMatrix.FromRows(["math"], ["initial", "math"], [[0.1], [0.9]]);

        // Then
        Assert.Equal(0.1, m[0, 0]);
        Assert.Equal(0.9, m[1, 0]);
    }

    [Fact]
    public void WriteCsv_Matrix_WritesHeaderAndRoundTripValues()
    {
        // Given
        using var dir = new TempDirectory();
        string path = dir.File("matrix.csv");

        // When
        Sample().WriteCsv(path);

        // Then
        Assert.Equal(
            "stage,math,poetry\ninitial,0.1,0.2\nmath,0.9,0.25\npoetry,0.5,0.75\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void ReadCsv_WrittenMatrix_RoundTripsBitForBit()
    {
        // Given values with no short decimal form
        using var dir = new TempDirectory();
        string path = dir.File("matrix.csv");
        AccuracyMatrix original = new(["math", "poetry", "history"], ["initial", "joint"], new[,]
        {
            { 0.1 + 0.2, 1.0 / 3, 1e-17 },
            { 2.0 / 3, 0.0, 1.0 },
        });

        // When
        original.WriteCsv(path);
        AccuracyMatrix read = AccuracyMatrix.ReadCsv(path);

        // Then
        Assert.Equal(original.Domains, read.Domains);
        Assert.Equal(original.Stages, read.Stages);
        for (int r = 0; r < original.Rows; r++)
        {
            Assert.Equal(original.Row(r), read.Row(r)); // exact equality
        }
    }

    [Fact]
    public void ReadCsv_CrLfLineEnds_Reads()
    {
        // Given a file edited on Windows
        using var dir = new TempDirectory();
        string path = dir.File("matrix.csv");
        File.WriteAllText(path, "stage,math\r\ninitial,0.1\r\nmath,0.9\r\n");

        // When
        AccuracyMatrix m = AccuracyMatrix.ReadCsv(path);

        // Then
        Assert.Equal(["initial", "math"], m.Stages);
        Assert.Equal(0.9, m[1, 0]);
    }

    [Theory]
    [InlineData("", 1, "file is empty")]
    [InlineData("step,math\ninitial,0.1\n", 1, "header must start with 'stage', found 'step'")]
    [InlineData("stage\ninitial\n", 1, "header names no domains")]
    [InlineData("stage,math,math\ninitial,0.1,0.2\n", 1, "domain id 'math' appears twice")]
    [InlineData("stage,math,\ninitial,0.1,0.2\n", 1, "domain id is empty")]
    [InlineData("stage,\"math\"\ninitial,0.1\n", 1, "quoted fields are not supported")]
    [InlineData("stage,math\n", 2, "no rows after the header")]
    [InlineData("stage,math\nmath,0.1\n", 2, "first row must be 'initial', found 'math'")]
    [InlineData("stage,math,poetry\ninitial,0.1,0.2\nmath,0.5\n", 3, "expected 3 fields (stage + 2 domains), found 2")]
    [InlineData("stage,math,poetry\ninitial,0.1,0.2\nmath,0.5,0.6,0.7\n", 3, "expected 3 fields")]
    [InlineData("stage,math,poetry\ninitial,0.1,0.2\nmath,0.5,abc\n", 3, "value 'abc' for domain 'poetry' is not a finite number")]
    [InlineData("stage,math\ninitial,0,1\n", 2, "expected 2 fields")] // decimal comma
    [InlineData("stage,math\ninitial, 0.1\n", 2, "value ' 0.1' for domain 'math' is not a finite number")]
    [InlineData("stage,math\ninitial,NaN\n", 2, "is not a finite number")]
    [InlineData("stage,math\ninitial,Infinity\n", 2, "is not a finite number")]
    [InlineData("stage,math,poetry\ninitial,0.1,0.2\nmath,1.5,0.2\n", 3, "value '1.5' for domain 'math' is outside [0, 1]")]
    [InlineData("stage,math\ninitial,-0.01\n", 2, "outside [0, 1]")]
    [InlineData("stage,math\ninitial,0.1\n\nmath,0.9\n", 3, "line is empty")]
    [InlineData("stage,math\ninitial,0.1\n,0.9\n", 3, "stage label is empty")]
    public void ReadCsv_MalformedFile_ThrowsWithPathAndLine(string content, int line, string problem)
    {
        // Given
        using var dir = new TempDirectory();
        string path = dir.File("matrix.csv");
        File.WriteAllText(path, content);

        // When
        var ex = Assert.Throws<MetricsInputException>(() => AccuracyMatrix.ReadCsv(path));

        // Then the message is "path:line: problem"
        Assert.StartsWith($"{path}:{line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FilePath);
        Assert.Equal(line, ex.Line);
    }
}
