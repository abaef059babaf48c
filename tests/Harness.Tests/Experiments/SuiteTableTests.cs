using Harness.Config;
using Harness.Experiments;
using Harness.Metrics.Reports;
using Harness.Tests.Cli;

namespace Harness.Tests.Experiments;

public sealed class SuiteTableTests
{
    private static (TempDirectory Dir, string Suite) Write(string suite)
    {
        var dir = new TempDirectory();
        TinyConfig.WriteTo(dir);
        return (dir, dir.Write("suite.yaml", suite));
    }

    // "naive" is tuned per column: a different strategy list for epochs 1 than for epochs 2 and 3.
    private const string TwoMethods = """
        seeds: 2
        variants:
          - config: tiny.yaml
            label: naive
            grid: {training.epochs: [1]}
            overrides: {strategies: [{type: naive}]}
          - config: tiny.yaml
            label: replay
            grid: {training.epochs: [1, 2]}
          - config: tiny.yaml
            label: naive
            grid: {training.epochs: [2, 3]}
            overrides: {strategies: [{type: ewc, lambda: 10}]}

        """;

    [Fact]
    public void Load_Table_RowsAreBaseLabelsAndColumnsAreGridValuesInFirstSeenOrder()
    {
        // Given
        var (dir, path) = Write(TwoMethods + """
            table:
              caption: Tiny, accuracy (%)
              scale: 100
              decimals: 1
              columns: training.epochs
              reference:
                source: Nobody 2026
                values:
                  naive: {1: [50, 2.5], 3: 40}
            """);
        using var _ = dir;

        // When
        var suite = SuiteLoader.Load(path);
        var layout = suite.Table!;

        // Then
        Assert.Equal(["naive-epochs=1", "replay-epochs=1", "replay-epochs=2", "naive-epochs=2", "naive-epochs=3"], suite.Variants.Select(v => v.Label));
        Assert.Equal(["naive", "replay", "replay", "naive", "naive"], suite.Variants.Select(v => v.BaseLabel));
        Assert.Equal("2", suite.Variants[2].Grid["training.epochs"]);
        Assert.Equal(["naive", "replay"], layout.Rows);
        Assert.Equal(["1", "2", "3"], layout.Columns);
        Assert.Equal(new TableCellKey("naive", "3"), layout.Variants["naive-epochs=3"]);
        Assert.Equal(new TableCellKey("replay", "2"), layout.Variants["replay-epochs=2"]);
        Assert.Equal(("Tiny, accuracy (%)", "acc", 100.0, 1, "Nobody 2026"), (layout.Caption, layout.Metric, layout.Scale, layout.Decimals, layout.ReferenceSource));
        Assert.Equal(new PublishedValue(50, 2.5), layout.Reference[new TableCellKey("naive", "1")]);
        Assert.Equal(new PublishedValue(40, null), layout.Reference[new TableCellKey("naive", "3")]);
        Assert.Equal(2, layout.Reference.Count);
    }

    [Fact]
    public void LoadConfig_OverrideOfAWholeList_ReplacesTheList()
    {
        // Given variants whose overrides set strategies: to a new list
        var (dir, path) = Write(TwoMethods);
        using var _ = dir;

        // When
        var suite = SuiteLoader.Load(path);
        IReadOnlyList<StrategyConfig> Strategies(string label) => SuiteDefinition.LoadConfig(suite.Variants.Single(v => v.Label == label), 0).Config.Strategies;

        // Then the config's replay strategy is gone, replaced by exactly the listed strategies (tiny.yaml has replay)
        Assert.IsType<NaiveStrategyConfig>(Assert.Single(Strategies("naive-epochs=1")));
        var ewc = Assert.IsType<EwcStrategyConfig>(Assert.Single(Strategies("naive-epochs=3")));
        Assert.Equal(10, ewc.Lambda);
        Assert.IsType<ReplayStrategyConfig>(Assert.Single(Strategies("replay-epochs=2")));
        Assert.Equal(3, SuiteDefinition.LoadConfig(suite.Variants.Single(v => v.Label == "naive-epochs=3"), 0).Config.Training.Epochs);
    }

    [Fact]
    public void Load_TwoVariantsFillingOneCell_IsAnErrorAtTheSecondValue()
    {
        // Given naive at epochs 2 twice: once with a second grid axis, so the labels differ but the cell is the same
        var (dir, path) = Write("""
            variants:
              - config: tiny.yaml
                label: naive
                grid: {training.epochs: [1, 2]}
              - config: tiny.yaml
                label: naive
                grid:
                  training.lr: [0.01]
                  training.epochs: [3, 2]
            table: {columns: training.epochs}
            """);
        using var _ = dir;

        // When
        var e = Assert.Throws<HarnessInputException>(() => SuiteLoader.Load(path));

        // Then it points at the "2" on line 9 (column 28) and names both variants
        Assert.StartsWith($"{path}:9:28: variants[1].grid.training.epochs: table cell (naive, 2) is already filled by variant 'naive-epochs=2' (line 2)", e.Message);
        Assert.Contains("'naive-lr=0.01-epochs=2'", e.Message);
    }

    [Fact]
    public void Load_VariantWithoutTheColumnsGridKey_IsAnErrorNamingTheVariant()
    {
        var (dir, path) = Write("""
            variants:
              - config: tiny.yaml
                label: naive
                grid: {training.epochs: [1]}
              - config: tiny.yaml
                label: joint
            table: {columns: training.epochs}
            """);
        using var _ = dir;

        var e = Assert.Throws<HarnessInputException>(() => SuiteLoader.Load(path));

        Assert.StartsWith($"{path}:5:5: variants[1]: variant 'joint' has no grid key 'training.epochs'", e.Message);
    }

    [Theory]
    [InlineData("reference: {values: {adamw: {1: 5}}}", "3:56: table.reference.values.adamw: no table row 'adamw' (rows: naive)")]
    [InlineData("reference: {values: {naive: {4: 5}}}", "3:64: table.reference.values.naive.4: no table column '4' (columns: 1, 2)")]
    [InlineData("reference: {values: {naive: {1: [5, 1, 2]}}}", "table.reference.values.naive.1: expected [mean, std] or a mean")]
    [InlineData("reference: {values: {naive: {1: high}}}", "table.reference.values.naive.1: expected a number")]
    [InlineData("metric: accuracy", "3:43: table.metric: unknown metric 'accuracy'")]
    [InlineData("scale: 0", "table.scale: expected a positive number")]
    [InlineData("decimals: -1", "table.decimals: expected an integer from 0 to 10")]
    [InlineData("colour: red", "table.colour: unknown key")]
    public void Load_MalformedTable_IsAnInputErrorNamingFileLineAndKey(string entry, string expected)
    {
        var (dir, path) = Write($$$"""
            variants: [{config: tiny.yaml, label: naive, grid: {training.epochs: [1, 2]}}]
            seeds: 1
            table: {columns: training.epochs, {{{entry}}} }
            """);
        using var _ = dir;

        var e = Assert.Throws<HarnessInputException>(() => SuiteLoader.Load(path));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_TableWithoutColumns_IsAnError()
    {
        var (dir, path) = Write("""
            variants: [{config: tiny.yaml, grid: {training.epochs: [1]}}]
            table: {metric: acc}
            """);
        using var _ = dir;

        var e = Assert.Throws<HarnessInputException>(() => SuiteLoader.Load(path));

        Assert.Contains("table.columns: required key is missing", e.Message);
    }

    [Fact]
    public void Suite_WithTable_WritesTheTableFilesAndPrintsTheMarkdown()
    {
        // Given a one-seed suite of two one-epoch variants in one column, with a published value for one of them
        var (dir, path) = Write("""
            name: tabled
            seeds: 1
            variants:
              - config: tiny.yaml
                label: naive
                grid: {training.epochs: [1]}
                overrides: {strategies: [{type: naive}]}
              - config: tiny.yaml
                label: replay
                grid: {training.epochs: [1]}
            table:
              metric: avg_forgetting
              columns: training.epochs
              reference: {source: Nobody 2026, values: {naive: {1: [0.5, 0.1]}}}
            """);
        using var _ = dir;
        var output = dir.File("out");

        // When
        var result = CliResult.Run(["suite", path, "--out", output, "--cache-dir", dir.File("cache"), "--device", "cpu"]);

        // Then the console ends with the table, which is table.md's text, and table.csv has one line per cell
        Assert.True(result.ExitCode == 0, result.ToString());
        var markdown = File.ReadAllText(Path.Combine(output, "table.md"));
        Assert.EndsWith("\n" + markdown, result.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("| variant | 1 |\n| --- | ---: |\n| naive | ", markdown);
        Assert.Contains("| naive (published) | 0.50 ± 0.10 |\n| replay | ", markdown);
        Assert.Contains("avg_forgetting: mean ± sample std over 1 seed;", markdown);
        var csv = File.ReadAllLines(Path.Combine(output, "table.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("naive,1,", csv[1]);
        var naive = csv[1].Split(',');
        Assert.Equal(["1", "0.5", "0.1"], naive[4..7]); // n, published mean and std; std of one run is empty
        Assert.Equal("", naive[3]);
        Assert.NotEqual("", naive[7]);
        Assert.Contains("id=\"table\"", File.ReadAllText(Path.Combine(output, "report.html")));
    }
}
