using System.Globalization;
using System.Xml.Linq;
using Harness.Metrics.Plots;
using Harness.Metrics.Reports;

namespace Harness.Metrics.Tests.Reports;

public sealed class HtmlReportTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Render_LabelsWithMarkup_AreEscapedAndReadBackVerbatim()
    {
        // Given a title, a variant label, a domain id and an incomplete run's reason that all contain markup
        var matrix = new AccuracyMatrix(["a<b>&c'"], ["initial", "a<b>&c'"], new[,] { { 0.0 }, { 1.0 } });
        var run = new RunRecord("/r/<x>", "<i>v</i> & \"q\"", 1, "completed", matrix, new Dictionary<string, double> { ["acc"] = 1.0 }, []);
        var summary = SummaryAggregator.Aggregate("<script>alert('t')</script>", [("<i>v</i> & \"q\"", [run])],
            [new IncompleteRun("<i>v</i> & \"q\"", null, "/r/<y>", "crashed <here> & 'there'")]);

        // When
        string html = HtmlReport.Render(summary, []);

        // Then no markup from the data survives as markup, and the parsed text is the data itself
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<i>", html);
        Assert.DoesNotContain("<b>", html);
        var doc = ReportDocument.Parse(html);
        Assert.Equal("<script>alert('t')</script>", doc.Elements("title").Single().Value);
        Assert.Equal("<script>alert('t')</script>", doc.Elements("h1").Single().Value);
        Assert.Equal("1.000", doc.MetricCell("<i>v</i> & \"q\"", "acc").Value.Split("n=")[0]);
        Assert.Contains(doc.Elements("th"), th => th.Value == "a<b>&c'");
        Assert.Contains(doc.Elements("td"), td => td.Value == "crashed <here> & 'there'");
        Assert.Contains(doc.Elements("td"), td => td.Value == "/r/<y>");
    }

    [Fact]
    public void Render_EveryMetricCell_DataAttributesEqualTheSummaryExactly()
    {
        // Given
        var summary = SampleSuite.Create();

        // When
        var doc = ReportDocument.Parse(HtmlReport.Render(summary, []));

        // Then every variant × metric has one cell, with the summary's full-precision values (or none: n/a)
        foreach (var variant in summary.Variants)
        foreach (var metric in summary.MetricNames)
        {
            var cell = doc.MetricCell(variant.Label, metric);
            if (variant[metric] is { } stats)
            {
                Assert.Equal(stats.Mean, Number(cell, "data-mean"));
                Assert.Equal(stats.Std, cell.Attribute("data-std") is { } std ? double.Parse(std.Value, CultureInfo.InvariantCulture) : null);
                Assert.Equal(stats.N, (int)cell.Attribute("data-n")!);
            }
            else
            {
                Assert.Equal("n/a", cell.Value);
                Assert.Null(cell.Attribute("data-mean"));
                Assert.Equal(0, (int)cell.Attribute("data-n")!);
            }
        }
    }

    [Theory]
    [InlineData("naive", "acc", "0.400 ± 0.100n=3", 0.4, 0.1, 3)]
    [InlineData("naive", "fwt", "0.020 ± 0.014n=2", 0.02, 0.0141421356, 2)]
    [InlineData("naive", "tokens_per_second", "22001 ± 1000n=3", 22000.8, 1000.4, 3)]
    [InlineData("naive", "wall_seconds", "42.0 ± 1.0n=3", 42.0, 1.0, 3)]
    [InlineData(SampleSuite.ReplayLabel, "bwt", "-0.125 ± 0.071n=2", -0.125, 0.0707106781, 2)]
    [InlineData("joint", "acc", "0.900n=1", 0.9, null, 1)]
    public void Render_MetricCell_ShowsHandComputedMeanStdAndN(string variant, string metric, string text, double mean, double? std, int n)
    {
        // Given the sample suite (values chosen so mean and std are easy to compute by hand)
        var doc = ReportDocument.Parse(HtmlReport.Render(SampleSuite.Create(), []));

        // When
        var cell = doc.MetricCell(variant, metric);

        // Then
        Assert.Equal(text, cell.Value);
        Assert.Equal(mean, Number(cell, "data-mean"), 9);
        if (std is null) Assert.Null(cell.Attribute("data-std"));
        else Assert.Equal(std.Value, Number(cell, "data-std"), 9);
        Assert.Equal(n, (int)cell.Attribute("data-n")!);
    }

    [Theory]
    [InlineData("joint", "bwt")]
    [InlineData("joint", "fwt")]
    [InlineData("joint", "forgetting.math")]
    public void Render_MetricUndefinedForVariant_ShowsNa(string variant, string metric)
    {
        var doc = ReportDocument.Parse(HtmlReport.Render(SampleSuite.Create(), []));

        var cell = doc.MetricCell(variant, metric);

        Assert.Equal("n/a", cell.Value);
        Assert.Null(cell.Attribute("data-mean"));
    }

    [Fact]
    public void Render_MainTable_HasMainMetricsInOrderThenForgettingThenOthersInASecondTable()
    {
        var doc = ReportDocument.Parse(HtmlReport.Render(SampleSuite.Create(), []));

        var tables = doc.Elements("table").Where(t => ((string?)t.Attribute("class"))?.StartsWith("metrics", StringComparison.Ordinal) == true).ToList();

        Assert.Equal(2, tables.Count);
        Assert.Equal(
            ["acc", "bwt", "fwt", "avg_forgetting", "learning_accuracy", "tokens_per_second", "wall_seconds", "forgetting.math", "forgetting.poetry"],
            Headers(tables[0]));
        Assert.Equal(["training_seconds"], Headers(tables[1]));
    }

    [Fact]
    public void Render_MatrixCells_HoldMeanAndStdPerStageAndDomain()
    {
        var doc = ReportDocument.Parse(HtmlReport.Render(SampleSuite.Create(), []));

        // naive, row "math", domain math: seeds 0.10, 0.20, 0.60 → mean 0.3, std sqrt(0.14 / 2)
        var naive = doc.MatrixCell("naive", 1, "math");
        // joint (n = 1): no std
        var joint = doc.MatrixCell("joint", 1, "history");

        Assert.Equal("0.300 ± 0.265", naive.Value);
        Assert.Equal(0.3, Number(naive, "data-mean"), 12);
        Assert.Equal(Math.Sqrt(0.07), Number(naive, "data-std"), 12);
        Assert.Equal("math", (string?)naive.Attribute("data-stage"));
        Assert.Equal("0.850", joint.Value);
        Assert.Null(joint.Attribute("data-std"));
        Assert.Equal("joint", (string?)joint.Attribute("data-stage"));
        Assert.Equal(3, doc.Elements("table").Count(t => (string?)t.Attribute("class") == "matrix"));
    }

    [Fact]
    public void Write_Figures_EmbeddedAsPngDataUrisThatDecodeToTheFiles()
    {
        // Given two real PNG figures in two sections, the first section used twice
        using var dir = new TempDirectory();
        var summary = SampleSuite.Create();
        var figures = new List<ReportFigure>();
        foreach (var (section, name) in new[] { ("Accuracy <matrices>", "a"), ("Forgetting", "b"), ("Accuracy <matrices>", "c") })
        {
            string png = dir.File($"{name}.png");
            AccuracyMatrixPlot.Save(summary.Variants[0].MeanMatrix, png, name);
            figures.Add(new ReportFigure(section, $"caption {name} & <more>", png, dir.File($"{name}.svg")));
        }
        string path = dir.File("report.html");

        // When
        HtmlReport.Write(summary, figures, path);

        // Then each image is the file's bytes as base64, in section order a, c, b, with its caption
        string html = File.ReadAllText(path);
        var doc = ReportDocument.Parse(html);
        var images = doc.Elements("img").ToList();
        Assert.Equal(3, images.Count);
        string[] expectedOrder = ["a", "c", "b"];
        for (int i = 0; i < images.Count; i++)
        {
            string src = (string)images[i].Attribute("src")!;
            Assert.StartsWith("data:image/png;base64,", src);
            byte[] bytes = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
            Assert.Equal(PngSignature, bytes[..8]);
            Assert.Equal(File.ReadAllBytes(dir.File($"{expectedOrder[i]}.png")), bytes);
            var (width, height) = AccuracyMatrixPlot.ImageSize(summary.Variants[0].MeanMatrix);
            Assert.Equal(width, (int)images[i].Attribute("width")!);
            Assert.Equal(height, (int)images[i].Attribute("height")!);
            Assert.StartsWith($"caption {expectedOrder[i]} & <more>", images[i].Parent!.Element("figcaption")!.Value);
        }
        Assert.Equal(["Accuracy <matrices>", "Forgetting"], doc.ById("figures")!.Elements("h3").Select(h => h.Value));
        Assert.Equal(["a.png", "b.png", "c.png", "report.html"], dir.FileNames()); // no temporary file left behind
    }

    [Fact]
    public void Render_Report_ReferencesNoExternalResource()
    {
        // Given a report with a figure
        using var dir = new TempDirectory();
        var summary = SampleSuite.Create();
        string png = dir.File("m.png");
        AccuracyMatrixPlot.Save(summary.Variants[0].MeanMatrix, png, "m");

        // When
        string html = HtmlReport.Render(summary, [new ReportFigure("S", "c", png, "")]);

        // Then nothing points outside the file: no URL scheme but data:, no script, stylesheet link or frame, and
        // every link is an in-page anchor
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        var doc = ReportDocument.Parse(html);
        Assert.DoesNotContain(doc.Document.Descendants(), e => e.Name.LocalName is "script" or "link" or "iframe" or "object" or "embed");
        var sources = doc.Document.Descendants().Attributes("src").ToList();
        Assert.Single(sources);
        Assert.All(sources, a => Assert.StartsWith("data:image/png;base64,", a.Value));
        Assert.All(doc.Document.Descendants().Attributes("href"), a => Assert.StartsWith("#", a.Value));
        Assert.All(doc.Document.Descendants().Attributes("href"), a => Assert.NotNull(doc.ById(a.Value[1..])));
    }

    [Fact]
    public void Render_IncompleteRuns_ListedWithVariantSeedFolderAndReason()
    {
        var doc = ReportDocument.Parse(HtmlReport.Render(SampleSuite.Create(), []));

        var section = doc.ById("incomplete");

        Assert.NotNull(section);
        var row = Assert.Single(section.Descendants("tbody").Single().Elements("tr"));
        Assert.Equal(["naive", "4", "/results/suite/naive/s4", "failed: out of memory <oom> & more"], row.Elements("td").Select(td => td.Value));
    }

    [Fact]
    public void Render_NoIncompleteRuns_HasNoIncompleteSection()
    {
        var full = SampleSuite.Create();
        var summary = full with { Incomplete = [] };

        string html = HtmlReport.Render(summary, []);

        Assert.Null(ReportDocument.Parse(html).ById("incomplete"));
        Assert.DoesNotContain("#incomplete", html);
    }

    [Fact]
    public void Render_Runs_ListsSeedsAndRunFoldersPerVariant()
    {
        var doc = ReportDocument.Parse(HtmlReport.Render(SampleSuite.Create(), []));

        var rows = doc.ById("runs")!.Descendants("tbody").Single().Elements("tr").ToList();

        Assert.Equal(6, rows.Count);
        Assert.Equal(["naive", "1, 2, 3", "1", "completed", "/results/suite/naive/s1"], rows[0].Elements().Select(e => e.Value));
        Assert.Equal(["3", "completed", "/results/suite/naive/s3"], rows[2].Elements().Select(e => e.Value));
        Assert.Equal([SampleSuite.ReplayLabel, "1, 2", "1", "completed", "/results/suite/" + SampleSuite.ReplayLabel + "/s1"],
            rows[3].Elements().Select(e => e.Value));
        Assert.Equal(["joint", "1", "1", "completed", "/results/suite/joint/s1"], rows[5].Elements().Select(e => e.Value));
    }

    [Theory]
    [InlineData("acc", 0.12345, "0.123")]
    [InlineData("forgetting.math", 0.9996, "1.000")]
    [InlineData("bwt", -0.0004, "0.000")]
    [InlineData("bwt", -0.0005001, "-0.001")]
    [InlineData("tokens_per_second", 25123.6, "25124")]
    [InlineData("normalized_tokens_per_second", 812.2, "812")]
    [InlineData("wall_seconds", 41.26, "41.3")]
    [InlineData("calibration_gflops", 143.04, "143.0")]
    public void FormatValue_Metric_UsesItsPrecisionAndNeverNegativeZero(string metric, double value, string expected) =>
        Assert.Equal(expected, HtmlReport.FormatValue(metric, value));

    [Fact]
    public void Write_FigureFileNotPng_ThrowsAndLeavesNoReport()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("fake.png"), "<svg/> not a png");

        var error = Assert.Throws<InvalidDataException>(() =>
            HtmlReport.Write(SampleSuite.Create(), [new ReportFigure("S", "c", dir.File("fake.png"), "")], dir.File("report.html")));

        Assert.Contains("fake.png", error.Message);
        Assert.Equal(["fake.png"], dir.FileNames());
    }

    private static double Number(XElement cell, string attribute) =>
        double.Parse((string)cell.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static IEnumerable<string> Headers(XElement table) =>
        table.Element("thead")!.Descendants("th").Select(th => (string?)th.Attribute("data-metric")).OfType<string>();
}
