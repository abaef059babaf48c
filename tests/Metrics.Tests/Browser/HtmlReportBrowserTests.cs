using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Metrics.Plots;
using Harness.Metrics.Reports;
using Harness.Metrics.Tests.Reports;
using Xunit.Abstractions;

namespace Harness.Metrics.Tests.Browser;

/// <summary>
/// Opens the comparison report in Debian's headless Chromium: images decode, the tables show summary.json's numbers,
/// the console stays clean and nothing outside the file is loaded. Leaves the report and its screenshots in
/// bin/…/browser-report/ for a human to look at (the folder is printed to the test output).
/// </summary>
[Trait("Category", "Browser")]
public sealed class HtmlReportBrowserTests
{
    private const int WindowWidth = 1400;
    private const int WindowHeight = 2000;

    // Everything the test asks the page, in one script: images, number cells, and any resource that is not the page
    // itself or a data: URI.
    private const string PageProbe = """
        const cell = td => ({
          variant: td.dataset.variant, metric: td.dataset.metric ?? null, row: td.dataset.row ?? null,
          domain: td.dataset.domain ?? null, mean: td.dataset.mean ?? null, std: td.dataset.std ?? null,
          n: td.dataset.n ?? null, text: td.textContent });
        return {
          title: document.title,
          images: [...document.images].map(img => ({ complete: img.complete, width: img.naturalWidth,
            height: img.naturalHeight, src: img.getAttribute('src'), alt: img.alt })),
          metricCells: [...document.querySelectorAll('td[data-metric]')].map(cell),
          matrixCells: [...document.querySelectorAll('td[data-domain]')].map(cell),
          externalResources: performance.getEntriesByType('resource').map(r => r.name).filter(n => !n.startsWith('data:')),
          externalElements: document.querySelectorAll('script, link, iframe, object, embed').length,
        };
        """;

    // The IEND chunk every complete PNG ends with: length 0, type, CRC.
    private static readonly byte[] PngEnd = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    private readonly ITestOutputHelper _output;

    public HtmlReportBrowserTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task ComparisonReport_InHeadlessChromium_ImagesDecodeTablesMatchSummaryJsonAndConsoleIsClean()
    {
        if (HeadlessChromium.Missing() is { } missing) Assert.Fail(missing);
        // Generous: on CI the two test assemblies run at once on 2 cores; a hung browser still fails well within minutes.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(150));

        // Given the full report of a hand-made suite (3 variants: 3 seeds, 2 seeds with a label to escape, and a joint
        // run with n = 1), written where it stays for a human to look at
        string folder = Path.Combine(AppContext.BaseDirectory, "browser-report");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var summary = SampleSuite.Create("Browser check <suite> & \"quotes\"");
        ComparisonReport.Write(summary, folder);
        _output.WriteLine($"report folder: {folder}");
        int comparisonFigures = Directory.GetFiles(Path.Combine(folder, "plots"), "*.png").Length;
        Assert.True(comparisonFigures > 0, "the comparison report has no figures");

        // and, so that at least one image is always checked whatever the comparison plots are, the same report with a
        // figure of the test's own
        string ownPng = Path.Combine(folder, "plots", "browser_test_accuracy_matrix.png");
        AccuracyMatrixPlot.Save(summary.Variants[0].MeanMatrix, ownPng, "naive, mean over seeds");
        string ownReport = Path.Combine(folder, "report-own-figure.html");
        HtmlReport.Write(summary, [new ReportFigure("Test <figure>", "naive: mean accuracy matrix & more", ownPng, "")], ownReport);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SummaryFiles.Json)))!.AsObject();

        // When both pages are opened in headless Chromium
        await using var browser = await HeadlessChromium.StartAsync(WindowWidth, WindowHeight, budget.Token);
        foreach (var (page, expectedImages) in new[] { (Path.Combine(folder, ComparisonReport.Html), comparisonFigures), (ownReport, 1) })
        {
            await browser.NavigateAsync(new Uri(page).AbsoluteUri, budget.Token);
            var probe = (await browser.ExecuteAsync(PageProbe, budget.Token))!.AsObject();
            var log = await browser.BrowserLogAsync(budget.Token);
            string screenshot = Path.ChangeExtension(page, ".png");
            await File.WriteAllBytesAsync(screenshot, await browser.FullPageScreenshotAsync(budget.Token), budget.Token);

            // Then
            string name = Path.GetFileName(page);
            var images = probe["images"]!.AsArray();
            _output.WriteLine($"{name}: {images.Count} image(s), {probe["metricCells"]!.AsArray().Count} metric cells, " +
                              $"{probe["matrixCells"]!.AsArray().Count} matrix cells, {log.Count} console entries; screenshot {screenshot}");
            foreach (var entry in log) _output.WriteLine($"  console {entry.Level} {entry.Source}: {entry.Message}");

            Assert.Equal(summary.Title, probe["title"]!.GetValue<string>());
            Assert.True(images.Count == expectedImages, $"{name}: {images.Count} images, expected {expectedImages}");
            foreach (var image in images)
            {
                int naturalWidth = image!["width"]!.GetValue<int>(), naturalHeight = image["height"]!.GetValue<int>();
                string src = image["src"]!.GetValue<string>();
                Assert.True(image["complete"]!.GetValue<bool>() && naturalWidth > 0 && naturalHeight > 0,
                    $"{name}: image '{image["alt"]}' did not decode: {src[..Math.Min(60, src.Length)]}… {naturalWidth}×{naturalHeight}");
                // Chromium shows a truncated PNG partially and still reports its header's size: check the whole file too.
                Assert.StartsWith("data:image/png;base64,", src);
                byte[] png = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
                Assert.True(png.AsSpan().EndsWith(PngEnd), $"{name}: image '{image["alt"]}' does not end with the PNG end chunk (truncated?)");
                using var decoded = new ScottPlot.Image(png);
                Assert.Equal((naturalWidth, naturalHeight), (decoded.Width, decoded.Height));
            }

            Assert.DoesNotContain(log, e => e.Level is "SEVERE" or "WARNING");
            Assert.DoesNotContain(log, e => e.Source == "network");
            Assert.Empty(probe["externalResources"]!.AsArray());
            Assert.Equal(0, probe["externalElements"]!.GetValue<int>());

            CheckMetricCells(json, probe["metricCells"]!.AsArray());
            CheckMatrixCells(json, probe["matrixCells"]!.AsArray());

            var (width, height) = PngSize(screenshot);
            Assert.Equal(WindowWidth, width);
            Assert.InRange(height, 600, 20000);
        }
    }

    /// <summary>Every variant × metric of summary.json has exactly one cell showing its value, and no other cell exists.</summary>
    private static void CheckMetricCells(JsonObject json, JsonArray cells)
    {
        var metrics = json["metrics"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        var variants = json["variants"]!.AsArray();
        Assert.Equal(variants.Count * metrics.Count, cells.Count);
        foreach (var variant in variants)
        {
            string label = variant!["variant"]!.GetValue<string>();
            foreach (var metric in metrics)
            {
                var cell = Assert.Single(cells, c => c!["variant"]!.GetValue<string>() == label && c["metric"]!.GetValue<string>() == metric)!;
                var stats = variant["metrics"]![metric];
                string where = $"{label} / {metric}";
                if (stats is null)
                {
                    Assert.True(cell["text"]!.GetValue<string>() == "n/a", $"{where}: {cell.ToJsonString()}");
                    Assert.Null(cell["mean"]);
                    continue;
                }

                double mean = stats["mean"]!.GetValue<double>();
                double? std = stats["std"]?.GetValue<double>();
                int n = stats["n"]!.GetValue<int>();
                string expected = HtmlReport.FormatValue(metric, mean) + (std is { } s ? " ± " + HtmlReport.FormatValue(metric, s) : "") + $"n={n}";
                Assert.True(expected == cell["text"]!.GetValue<string>(), $"{where}: shows '{cell["text"]}', summary.json says '{expected}'");
                // summary.json keeps six decimals; the attributes keep full precision.
                Assert.Equal(mean, Math.Round(Number(cell["mean"]), 6));
                Assert.Equal(std, cell["std"] is null ? null : Math.Round(Number(cell["std"]), 6));
                Assert.Equal(n, int.Parse(cell["n"]!.GetValue<string>(), CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Every cell of every variant's mean (and std) accuracy matrix in summary.json is shown, and no other.</summary>
    private static void CheckMatrixCells(JsonObject json, JsonArray cells)
    {
        int expectedCells = 0;
        foreach (var variant in json["variants"]!.AsArray())
        {
            string label = variant!["variant"]!.GetValue<string>();
            var domains = variant["domains"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
            var mean = variant["mean_accuracy_matrix"]!.AsArray();
            var std = variant["std_accuracy_matrix"]?.AsArray();
            for (int i = 0; i < mean.Count; i++)
            for (int j = 0; j < domains.Count; j++)
            {
                expectedCells++;
                string row = i.ToString(CultureInfo.InvariantCulture);
                var cell = Assert.Single(cells, c => c!["variant"]!.GetValue<string>() == label && c["row"]!.GetValue<string>() == row
                                                     && c["domain"]!.GetValue<string>() == domains[j])!;
                double m = mean[i]![j]!.GetValue<double>();
                double? s = std?[i]![j]!.GetValue<double>();
                Assert.Equal(m, Math.Round(Number(cell["mean"]), 6));
                Assert.Equal(s, cell["std"] is null ? null : Math.Round(Number(cell["std"]), 6));
                string expected = HtmlReport.FormatValue("accuracy", m) + (s is { } sd ? " ± " + HtmlReport.FormatValue("accuracy", sd) : "");
                Assert.Equal(expected, cell["text"]!.GetValue<string>());
            }
        }
        Assert.Equal(expectedCells, cells.Count);
    }

    private static double Number(JsonNode? attribute) => double.Parse(attribute!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static (int Width, int Height) PngSize(string path)
    {
        byte[] png = File.ReadAllBytes(path);
        Assert.True(png.Length > 1000, $"{path}: {png.Length} bytes is too small for a screenshot of the report");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        using var image = new ScottPlot.Image(path); // decodes the whole file, not only its header
        Assert.Equal(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), image.Width);
        return (image.Width, image.Height);
    }
}
