using System.Globalization;
using Harness.Metrics.Reports;

namespace Harness.Metrics.Tests.Reports;

public sealed class ResultTableTests
{
    private static readonly string[] Domains = ["a", "b"];

    /// <summary>A completed run whose only scalar is acc (and bwt when given).</summary>
    private static RunRecord Run(string label, int seed, double acc, double? bwt = null)
    {
        var scalars = new Dictionary<string, double> { ["acc"] = acc };
        if (bwt is { } b) scalars["bwt"] = b;
        return new RunRecord($"/r/{label}/s{seed}", label, seed, "completed",
            new AccuracyMatrix(Domains, ["initial", "a", "b"], new[,] { { 0.0, 0.0 }, { 1.0, 0.0 }, { acc, acc } }), scalars, []);
    }

    /// <summary>
    /// adam in three scenarios (2 seeds each), ewc with one run of task, a declared but unfinished domain variant and
    /// no class variant; published values for two adam cells. Hand-computed, × 100: adam task 92.00 ± 2.83 (0.90,
    /// 0.94), domain 55.00 ± 7.07 (0.50, 0.60), class 20.00 ± 1.41 (0.19, 0.21); ewc task 97.00 (one run).
    /// </summary>
    private static (SuiteSummary Summary, ResultTableLayout Layout) Sample(string caption = "Split MNIST, accuracy (%)",
        string adam = "adam", string task = "task")
    {
        var summary = SummaryAggregator.Aggregate("hsu", [
            ("adam-task", [Run("adam-task", 0, 0.90), Run("adam-task", 1, 0.94)]),
            ("adam-domain", [Run("adam-domain", 0, 0.50), Run("adam-domain", 1, 0.60)]),
            ("adam-class", [Run("adam-class", 0, 0.19), Run("adam-class", 1, 0.21)]),
            ("ewc-task", [Run("ewc-task", 1, 0.97)]),
            ("ewc-domain", []),
        ]);
        var layout = new ResultTableLayout
        {
            Caption = caption,
            Scale = 100,
            Rows = [adam, "ewc"],
            Columns = [task, "domain", "class"],
            Variants = new Dictionary<string, TableCellKey>
            {
                ["adam-task"] = new(adam, task), ["adam-domain"] = new(adam, "domain"), ["adam-class"] = new(adam, "class"),
                ["ewc-task"] = new("ewc", task), ["ewc-domain"] = new("ewc", "domain"),
            },
            ReferenceSource = "Hsu et al. 2018, Table 2",
            Reference = new Dictionary<TableCellKey, PublishedValue>
            {
                [new(adam, task)] = new(93.46, 2.01),
                [new(adam, "class")] = new(19.71, null),
            },
        };
        return (summary, layout);
    }

    [Fact]
    public void Build_Sample_CellsAreScaledMeanStdNInRowMajorOrder()
    {
        // Given
        var (summary, layout) = Sample();

        // When
        var table = ResultTable.Build(summary, layout, expectedRuns: 2);

        // Then
        Assert.Equal([("adam", "task"), ("adam", "domain"), ("adam", "class"), ("ewc", "task"), ("ewc", "domain"), ("ewc", "class")],
            table.Cells.Select(c => (c.Row, c.Column)));
        var adamTask = table["adam", "task"].Value!;
        Assert.Equal(92.0, adamTask.Mean, 9);
        Assert.Equal(2.8284271247, adamTask.Std!.Value, 9);
        Assert.Equal(2, adamTask.N);
        Assert.Equal(7.0710678119, table["adam", "domain"].Value!.Std!.Value, 9);
        Assert.Equal(97.0, table["ewc", "task"].Value!.Mean, 9);
        Assert.Null(table["ewc", "task"].Value!.Std);
        Assert.Equal(-1.46, table["adam", "task"].Difference!.Value, 9);
        Assert.Equal(0.29, table["adam", "class"].Difference!.Value, 9);
        Assert.Null(table["adam", "domain"].Difference);
        Assert.Equal(["ewc-domain has no completed run", "no variant of the suite fills this cell"], table.Missing.Select(c => c.MissingReason));
    }

    [Fact]
    public void Build_UnknownMetric_IsAnArgumentErrorNamingIt()
    {
        var (summary, layout) = Sample();

        var e = Assert.Throws<ArgumentException>(() => ResultTable.Build(summary, layout with { Metric = "accuracy" }, 2));

        Assert.Contains("table metric 'accuracy' is not a metric of this suite (it has: acc)", e.Message);
    }

    [Fact]
    public void Build_KnownMetricNoRunHas_LeavesTheCellsMissing()
    {
        // Given bwt, a metric runs report but none of these has
        var (summary, layout) = Sample();

        // When
        var table = ResultTable.Build(summary, layout with { Metric = "bwt" }, 2);

        // Then
        Assert.Equal(6, table.Missing.Count);
        Assert.Equal("no run of adam-task has bwt", table["adam", "task"].MissingReason);
    }

    [Fact]
    public void ToMarkdown_Sample_IsExactly()
    {
        var (summary, layout) = Sample();

        var markdown = ResultTableFiles.ToMarkdown(ResultTable.Build(summary, layout, 2));

        Assert.Equal("""
            Split MNIST, accuracy (%)

            | variant | task | domain | class |
            | --- | ---: | ---: | ---: |
            | adam | 92.00 ± 2.83 | 55.00 ± 7.07 | 20.00 ± 1.41 |
            | adam (published) | 93.46 ± 2.01 |  | 19.71 |
            | ewc | 97.00 (n=1) | — | — |

            acc × 100: mean ± sample std over 2 seeds; (n=k): over k runs only. Published: Hsu et al. 2018, Table 2.

            Missing cells (—):
            - ewc, domain: ewc-domain has no completed run
            - ewc, class: no variant of the suite fills this cell

            """.ReplaceLineEndings("\n"), markdown);
    }

    [Fact]
    public void ToMarkdown_PipeInALabel_IsEscaped()
    {
        var (summary, layout) = Sample(caption: "a | b", task: "t|1");

        var markdown = ResultTableFiles.ToMarkdown(ResultTable.Build(summary, layout, 2));

        Assert.StartsWith("a \\| b\n\n| variant | t\\|1 | domain | class |\n", markdown);
    }

    [Fact]
    public void ToCsv_Sample_IsExactly()
    {
        var (summary, layout) = Sample(task: "task, \"known\"");

        var csv = ResultTableFiles.ToCsv(ResultTable.Build(summary, layout, 2));

        Assert.Equal(""""
            row,column,mean,std,n,reference_mean,reference_std,difference
            adam,"task, ""known""",92,2.828427,2,93.46,2.01,-1.46
            adam,domain,55,7.071068,2,,,
            adam,class,20,1.414214,2,19.71,,0.29
            ewc,"task, ""known""",97,,1,,,
            ewc,domain,,,0,,,
            ewc,class,,,0,,,

            """".ReplaceLineEndings("\n"), csv);
    }

    [Fact]
    public void Render_WithTable_ShowsItFirstWithEscapedLabelsAndExactValues()
    {
        // Given a row label and caption with markup
        const string adam = "<b>adam</b> & \"co\"";
        var (summary, layout) = Sample(caption: "Split <MNIST> & more", adam: adam);
        var table = ResultTable.Build(summary, layout, 2);

        // When
        string html = HtmlReport.Render(summary, [], table);

        // Then the table section comes before the metrics, nothing from the labels survives as markup, and the cells
        // carry the scaled values exactly
        Assert.DoesNotContain("<b>", html);
        Assert.True(html.IndexOf("<section id=\"table\">", StringComparison.Ordinal) < html.IndexOf("<section id=\"metrics\">", StringComparison.Ordinal));
        var doc = ReportDocument.Parse(html);
        Assert.Equal("Split <MNIST> & more", doc.Elements("caption").Single().Value);
        var cell = Cell(doc, adam, "task");
        Assert.Equal("92.00 ± 2.83", cell.Value);
        Assert.Equal(table[adam, "task"].Value!.Mean, Number(cell, "data-mean"));
        Assert.Equal(table[adam, "task"].Value!.Std, Number(cell, "data-std"));
        Assert.Equal("2", (string?)cell.Attribute("data-n"));
        Assert.Equal(93.46, Number(cell, "data-reference-mean"));
        Assert.Equal(2.01, Number(cell, "data-reference-std"));
        Assert.Equal("adam-task", (string?)cell.Attribute("data-table-variant"));
        Assert.Equal("97.00 (n=1)", Cell(doc, "ewc", "task").Value);
        Assert.Equal("—", Cell(doc, "ewc", "class").Value);
        var published = Assert.Single(doc.Elements("tr"), tr => (string?)tr.Attribute("class") == "published");
        Assert.Equal([adam + " (published)", "93.46 ± 2.01", "", "19.71"], published.Elements().Select(e => e.Value));
        Assert.Equal(["ewc, domain: ewc-domain has no completed run", "ewc, class: no variant of the suite fills this cell"],
            doc.Elements("ul").Single(u => (string?)u.Attribute("class") == "missing").Elements("li").Select(li => li.Value));
    }

    [Fact]
    public void Render_WithoutTable_HasNoTableSection()
    {
        var (summary, _) = Sample();

        var doc = ReportDocument.Parse(HtmlReport.Render(summary, []));

        Assert.Null(doc.ById("table"));
    }

    [Fact]
    public void Write_WithAndThenWithoutTable_WritesThenRemovesTheTableFiles()
    {
        // Given
        using var dir = new TempDirectory();
        var (summary, layout) = Sample();
        var table = ResultTable.Build(summary, layout, 2);

        // When the report is written with the table
        ComparisonReport.Write(summary, dir.Path, table);

        // Then both files hold the table's text
        Assert.Equal(ResultTableFiles.ToMarkdown(table), File.ReadAllText(Path.Combine(dir.Path, "table.md")));
        Assert.Equal(ResultTableFiles.ToCsv(table), File.ReadAllText(Path.Combine(dir.Path, "table.csv")));

        // When written again without one, no stale table is left beside the new report
        ComparisonReport.Write(summary, dir.Path);
        Assert.False(File.Exists(Path.Combine(dir.Path, "table.md")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "table.csv")));
    }

    private static System.Xml.Linq.XElement Cell(ReportDocument doc, string row, string column) =>
        Assert.Single(doc.Elements("td"), td => (string?)td.Attribute("data-table-row") == row && (string?)td.Attribute("data-table-column") == column);

    private static double? Number(System.Xml.Linq.XElement cell, string attribute) =>
        cell.Attribute(attribute) is { } a ? double.Parse(a.Value, CultureInfo.InvariantCulture) : null;
}
