namespace Harness.Metrics.Reports;

/// <summary>
/// Everything a suite or a comparison writes into its folder: summary.json, summary.csv, plots/ (PNG and SVG),
/// report.html (self-contained) and, when the suite declares a results table, table.md and table.csv. One entry point,
/// so `suite` and `compare` produce the same report.
/// </summary>
public static class ComparisonReport
{
    /// <summary>File name of the HTML report.</summary>
    public const string Html = "report.html";

    /// <summary>
    /// Writes the report of <paramref name="summary"/> into <paramref name="folder"/> (created if missing), with
    /// <paramref name="table"/> when given.
    /// </summary>
    public static void Write(SuiteSummary summary, string folder, ResultTable? table = null)
    {
        Directory.CreateDirectory(folder);
        SummaryFiles.Write(summary, folder);
        // A table from an earlier version of the suite file would otherwise contradict the report beside it.
        if (table is not null) ResultTableFiles.Write(table, folder);
        else
            foreach (var old in new[] { ResultTableFiles.Markdown, ResultTableFiles.Csv })
                File.Delete(Path.Combine(folder, old));
        var plots = Path.Combine(folder, "plots");
        Directory.CreateDirectory(plots);
        // Figures of variants since renamed or removed would otherwise linger next to the current ones.
        foreach (var old in Directory.EnumerateFiles(plots).Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".svg", StringComparison.Ordinal)))
            File.Delete(old);
        var figures = ComparisonPlots.Write(summary, plots);
        HtmlReport.Write(summary, figures, Path.Combine(folder, Html), table);
    }
}
