using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using Harness.Metrics.IO;

namespace Harness.Metrics.Reports;

/// <summary>
/// The self-contained HTML report of a suite or comparison: the suite's results table when it declares one, the
/// metrics of every variant as mean ± std (n), each
/// variant's mean accuracy matrix, the figures (PNG embedded as data: URIs), the runs left out, and the seeds and run
/// folders behind every variant. One file with no external resource and no script, so it can be mailed or archived
/// alone.
/// </summary>
/// <remarks>
/// Every number cell carries its full-precision values in invariant culture (<c>data-variant</c>,
/// <c>data-metric</c> or <c>data-stage</c>/<c>data-row</c>/<c>data-domain</c>, <c>data-mean</c>, <c>data-std</c>,
/// <c>data-n</c>; a results-table cell <c>data-table-row</c>, <c>data-table-column</c>, <c>data-table-variant</c>,
/// <c>data-mean</c>, <c>data-std</c>, <c>data-n</c>, <c>data-reference-mean</c>, <c>data-reference-std</c>, in the
/// table's scaled units), so tools and tests read the report's numbers without parsing the rounded text. The markup is also
/// well-formed XML (void elements self-closed, only numeric character references), so a test can load it with an XML
/// reader.
/// </remarks>
public static class HtmlReport
{
    /// <summary>
    /// Metrics of the main table, in this order when present; per-domain forgetting (<c>forgetting.&lt;domain&gt;</c>)
    /// follows them; any other metric of the summary goes to a second table.
    /// </summary>
    public static readonly IReadOnlyList<string> MainMetrics =
    [
        "acc", "bwt", "fwt", "avg_forgetting", "learning_accuracy",
        "tokens_per_second", "normalized_tokens_per_second", "wall_seconds",
    ];

    private const string ForgettingPrefix = "forgetting.";

    // Inline so the file stays self-contained; readable with nothing but the system's fonts.
    private const string Css = """
        body { font-family: system-ui, "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1600px; padding: 0 1em; color: #222; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
        p.meta, nav { color: #555; }
        nav a { margin-right: 1em; }
        div.scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }
        th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; }
        thead th { background: #f3f3f3; }
        tbody th { text-align: left; font-weight: 600; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        td.na { text-align: center; color: #999; }
        span.n { color: #888; font-size: 0.8em; margin-left: 0.4em; }
        td.path { font-family: monospace; font-size: 0.9em; }
        .figures { display: flex; flex-wrap: wrap; gap: 1.5em; }
        figure { margin: 0; max-width: 100%; }
        figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { color: #444; font-size: 0.9em; margin-top: 0.3em; max-width: 800px; }
        span.file { color: #888; font-family: monospace; margin-left: 0.5em; }
        table.incomplete td { background: #fff4f4; }
        table.results caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.3em; }
        table.results tr.published th, table.results tr.published td { color: #666; font-style: italic; border-top-style: dashed; }
        """;

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Writes report.html for <paramref name="summary"/> with <paramref name="figures"/> embedded, and
    /// <paramref name="table"/> (if any) at the top, atomically.
    /// </summary>
    /// <exception cref="InvalidDataException">A figure's PNG file is not a PNG (nothing is written).</exception>
    public static void Write(SuiteSummary summary, IReadOnlyList<ReportFigure> figures, string path, ResultTable? table = null) =>
        AtomicFile.WriteAllText(path, Render(summary, figures, table));

    /// <summary>The report's HTML text (what <see cref="Write"/> writes).</summary>
    /// <exception cref="InvalidDataException">A figure's PNG file is not a PNG.</exception>
    public static string Render(SuiteSummary summary, IReadOnlyList<ReportFigure> figures, ResultTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(figures);

        var (main, other) = MetricColumns(summary);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("<title>").Append(E(summary.Title)).Append("</title>\n")
            .Append("<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n");

        html.Append("<h1>").Append(E(summary.Title)).Append("</h1>\n");
        int runs = summary.Variants.Sum(v => v.Runs.Count);
        html.Append("<p class=\"meta\">")
            .Append(Invariant($"{summary.Variants.Count} variant{Plural(summary.Variants.Count)}, {runs} run{Plural(runs)}"))
            .Append(summary.Incomplete.Count > 0 ? Invariant($", {summary.Incomplete.Count} incomplete") : "")
            .Append(". Values are mean ± sample standard deviation (n − 1) over seeds; n is the number of runs that have the metric.</p>\n");

        html.Append("<nav>");
        if (table is not null) html.Append("<a href=\"#table\">results table</a>");
        html.Append("<a href=\"#metrics\">metrics</a><a href=\"#matrices\">accuracy matrices</a>");
        if (figures.Count > 0) html.Append("<a href=\"#figures\">figures</a>");
        if (summary.Incomplete.Count > 0) html.Append("<a href=\"#incomplete\">incomplete runs</a>");
        html.Append("<a href=\"#runs\">runs</a></nav>\n");

        if (table is not null) Table(html, table);

        html.Append("<section id=\"metrics\">\n<h2>Metrics</h2>\n");
        MetricsTable(html, summary, main, "metrics");
        if (other.Count > 0)
        {
            html.Append("<h3>Other metrics</h3>\n");
            MetricsTable(html, summary, other, "metrics other");
        }
        html.Append("</section>\n");

        html.Append("<section id=\"matrices\">\n<h2>Mean accuracy matrices</h2>\n")
            .Append("<p>Rows: evaluation after each stage (initial = before training); columns: evaluated domain.</p>\n");
        foreach (var variant in summary.Variants) MatrixTable(html, variant);
        html.Append("</section>\n");

        if (figures.Count > 0) Figures(html, figures);
        if (summary.Incomplete.Count > 0) Incomplete(html, summary.Incomplete);
        Runs(html, summary);

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// <paramref name="value"/> as the report shows <paramref name="metric"/>: tokens per second as integers, seconds
    /// and GFLOP/s with one decimal, accuracies and everything else with three (invariant culture, never "-0.000").
    /// </summary>
    public static string FormatValue(string metric, double value)
    {
        string format = metric switch
        {
            _ when metric.EndsWith("tokens_per_second", StringComparison.Ordinal) => "F0",
            _ when metric.EndsWith("_seconds", StringComparison.Ordinal) || metric.EndsWith("gflops", StringComparison.Ordinal) => "F1",
            _ => "F3",
        };
        string text = value.ToString(format, CultureInfo.InvariantCulture);
        // A tiny negative mean (a BWT of -1e-9, say) would print as "-0.000", which reads as a real loss.
        return text.StartsWith('-') && text.AsSpan(1).IndexOfAnyExcept("0.") < 0 ? text[1..] : text;
    }

    /// <summary>Splits the summary's metrics into the main table's columns and the rest (in summary order).</summary>
    private static (List<string> Main, List<string> Other) MetricColumns(SuiteSummary summary)
    {
        var main = MainMetrics.Where(summary.MetricNames.Contains).ToList();
        main.AddRange(summary.MetricNames.Where(m => m.StartsWith(ForgettingPrefix, StringComparison.Ordinal)));
        var other = summary.MetricNames.Where(m => !main.Contains(m)).ToList();
        return (main, other);
    }

    private static void MetricsTable(StringBuilder html, SuiteSummary summary, IReadOnlyList<string> metrics, string cssClass)
    {
        html.Append("<div class=\"scroll\"><table class=\"").Append(cssClass).Append("\">\n<thead><tr><th scope=\"col\">variant</th><th scope=\"col\">runs</th>");
        foreach (var metric in metrics) html.Append("<th scope=\"col\" data-metric=\"").Append(E(metric)).Append("\">").Append(E(metric)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var variant in summary.Variants)
        {
            html.Append("<tr data-variant=\"").Append(E(variant.Label)).Append("\"><th scope=\"row\">").Append(E(variant.Label))
                .Append("</th><td class=\"num\">").Append(Invariant($"{variant.Runs.Count}")).Append("</td>");
            foreach (var metric in metrics)
            {
                var attributes = $" data-variant=\"{E(variant.Label)}\" data-metric=\"{E(metric)}\"";
                if (variant[metric] is not { } stats)
                {
                    html.Append("<td class=\"na\"").Append(attributes).Append(" data-n=\"0\">n/a</td>");
                    continue;
                }
                html.Append("<td class=\"num\"").Append(attributes).Append(NumberAttributes(stats.Mean, stats.Std, stats.N))
                    .Append("><span class=\"value\">").Append(FormatValue(metric, stats.Mean));
                if (stats.Std is { } std) html.Append(" ± ").Append(FormatValue(metric, std));
                html.Append("</span><span class=\"n\">").Append(Invariant($"n={stats.N}")).Append("</span></td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
    }

    /// <summary>The results table: our row, then (when the reference has the row) a "(published)" row under it.</summary>
    private static void Table(StringBuilder html, ResultTable table)
    {
        var layout = table.Layout;
        html.Append("<section id=\"table\">\n<h2>Results table</h2>\n<div class=\"scroll\"><table class=\"results\">\n");
        if (layout.Caption is { } caption) html.Append("<caption>").Append(E(caption)).Append("</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">variant</th>");
        foreach (var column in layout.Columns) html.Append("<th scope=\"col\">").Append(E(column)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in layout.Rows)
        {
            var cells = table.Cells.Where(c => c.Row == row).ToList();
            html.Append("<tr data-table-row=\"").Append(E(row)).Append("\"><th scope=\"row\">").Append(E(row)).Append("</th>");
            foreach (var cell in cells)
            {
                html.Append("<td class=\"").Append(cell.Value is null ? "na" : "num").Append("\" data-table-row=\"").Append(E(cell.Row))
                    .Append("\" data-table-column=\"").Append(E(cell.Column)).Append('"');
                if (cell.Variant is { } variant) html.Append(" data-table-variant=\"").Append(E(variant)).Append('"');
                html.Append(cell.Value is { } v ? NumberAttributes(v.Mean, v.Std, v.N) : " data-n=\"0\"");
                if (cell.Reference is { } r)
                    html.Append(Invariant($" data-reference-mean=\"{r.Mean:R}\"")).Append(r.Std is { } rs ? Invariant($" data-reference-std=\"{rs:R}\"") : "");
                if (cell.MissingReason is { } reason) html.Append(" title=\"").Append(E(reason)).Append('"');
                html.Append('>').Append(E(table.OursText(cell))).Append("</td>");
            }
            html.Append("</tr>\n");
            if (!table.HasReference(row)) continue;
            html.Append("<tr class=\"published\"><th scope=\"row\">").Append(E(row)).Append(" (published)</th>");
            foreach (var cell in cells) html.Append("<td class=\"num\">").Append(E(table.ReferenceText(cell))).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n<p>").Append(E(table.Note())).Append("</p>\n");
        if (table.Missing.Count > 0)
        {
            html.Append("<p>Missing cells:</p>\n<ul class=\"missing\">\n");
            foreach (var cell in table.Missing)
                html.Append("<li>").Append(E($"{cell.Row}, {cell.Column}: {cell.MissingReason}")).Append("</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("</section>\n");
    }

    private static void MatrixTable(StringBuilder html, VariantSummary variant)
    {
        var m = variant.MeanMatrix;
        html.Append("<h3>").Append(E(variant.Label)).Append(Invariant($"<span class=\"n\">n={variant.Runs.Count}</span>")).Append("</h3>\n")
            .Append("<div class=\"scroll\"><table class=\"matrix\" data-variant=\"").Append(E(variant.Label)).Append("\">\n<thead><tr><th scope=\"col\">stage</th>");
        foreach (var domain in m.Domains) html.Append("<th scope=\"col\">").Append(E(domain)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < m.Rows; i++)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(m.Stages[i])).Append("</th>");
            for (int j = 0; j < m.Columns; j++)
            {
                double? std = variant.StdMatrix?[i, j];
                html.Append("<td class=\"num\" data-variant=\"").Append(E(variant.Label))
                    .Append("\" data-stage=\"").Append(E(m.Stages[i])).Append("\" data-row=\"").Append(Invariant($"{i}"))
                    .Append("\" data-domain=\"").Append(E(m.Domains[j])).Append('"')
                    .Append(NumberAttributes(m[i, j], std, variant.Runs.Count)).Append('>')
                    .Append(FormatValue("accuracy", m[i, j]));
                if (std is { } s) html.Append(" ± ").Append(FormatValue("accuracy", s));
                html.Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
    }

    private static void Figures(StringBuilder html, IReadOnlyList<ReportFigure> figures)
    {
        html.Append("<section id=\"figures\">\n<h2>Figures</h2>\n");
        // Sections in the order of their first figure; figures keep their given order within a section.
        foreach (var section in figures.GroupBy(f => f.Section, StringComparer.Ordinal))
        {
            html.Append("<h3>").Append(E(section.Key)).Append("</h3>\n<div class=\"figures\">\n");
            foreach (var figure in section)
            {
                byte[] png = File.ReadAllBytes(figure.PngPath);
                var (width, height) = PngSize(png, figure.PngPath);
                html.Append("<figure><img src=\"data:image/png;base64,").Append(Convert.ToBase64String(png))
                    .Append("\" alt=\"").Append(E(figure.Caption)).Append('"')
                    .Append(Invariant($" width=\"{width}\" height=\"{height}\"")).Append(" />")
                    .Append("<figcaption>").Append(E(figure.Caption))
                    .Append("<span class=\"file\">").Append(E(Path.GetFileName(figure.PngPath)));
                if (!string.IsNullOrEmpty(figure.SvgPath)) html.Append(", ").Append(E(Path.GetFileName(figure.SvgPath)));
                html.Append("</span></figcaption></figure>\n");
            }
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    private static void Incomplete(StringBuilder html, IReadOnlyList<IncompleteRun> incomplete)
    {
        html.Append("<section id=\"incomplete\">\n<h2>Incomplete runs</h2>\n")
            .Append("<p>Runs the report expected but left out of every number above.</p>\n")
            .Append("<div class=\"scroll\"><table class=\"incomplete\">\n<thead><tr><th scope=\"col\">variant</th><th scope=\"col\">seed</th>")
            .Append("<th scope=\"col\">run folder</th><th scope=\"col\">reason</th></tr></thead>\n<tbody>\n");
        foreach (var run in incomplete)
        {
            html.Append("<tr data-variant=\"").Append(E(run.Variant)).Append("\"><td>").Append(E(run.Variant)).Append("</td><td class=\"num\">")
                .Append(run.Seed is { } seed ? Invariant($"{seed}") : "").Append("</td><td class=\"path\">").Append(E(run.Directory))
                .Append("</td><td>").Append(E(run.Reason)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void Runs(StringBuilder html, SuiteSummary summary)
    {
        html.Append("<section id=\"runs\">\n<h2>Runs</h2>\n")
            .Append("<div class=\"scroll\"><table class=\"runs\">\n<thead><tr><th scope=\"col\">variant</th><th scope=\"col\">seeds</th>")
            .Append("<th scope=\"col\">seed</th><th scope=\"col\">status</th><th scope=\"col\">run folder</th></tr></thead>\n<tbody>\n");
        foreach (var variant in summary.Variants)
        {
            for (int i = 0; i < variant.Runs.Count; i++)
            {
                var run = variant.Runs[i];
                html.Append("<tr data-variant=\"").Append(E(variant.Label)).Append("\">");
                if (i == 0)
                {
                    html.Append(Invariant($"<th scope=\"row\" rowspan=\"{variant.Runs.Count}\">")).Append(E(variant.Label)).Append("</th>")
                        .Append(Invariant($"<td rowspan=\"{variant.Runs.Count}\">"))
                        .Append(string.Join(", ", variant.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))).Append("</td>");
                }
                // Full paths, as summary.json lists them, so a reader can open the run wherever the report was written.
                html.Append("<td class=\"num\">").Append(Invariant($"{run.Seed}")).Append("</td><td>").Append(E(run.Status))
                    .Append("</td><td class=\"path\">").Append(E(Path.GetFullPath(run.Directory))).Append("</td></tr>\n");
            }
        }
        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static string NumberAttributes(double mean, double? std, int n) =>
        Invariant($" data-mean=\"{mean:R}\"") + (std is { } s ? Invariant($" data-std=\"{s:R}\"") : "") + Invariant($" data-n=\"{n}\"");

    private static (int Width, int Height) PngSize(byte[] png, string path)
    {
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(PngSignature) || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            throw new InvalidDataException($"{path} is not a PNG file; the report can only embed PNG figures.");
        }

        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    // HtmlEncode covers <, >, &, " and ' (the quotes as numeric references), so text and attribute values are both safe.
    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Plural(int count) => count == 1 ? "" : "s";
}
