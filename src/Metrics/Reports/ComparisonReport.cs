namespace Harness.Metrics.Reports;

/// <summary>
/// Everything a suite or a comparison writes into its folder: summary.json, summary.csv, plots/ (PNG and SVG) and
/// report.html (self-contained). One entry point, so `suite` and `compare` produce the same report.
/// </summary>
public static class ComparisonReport
{
    /// <summary>File name of the HTML report.</summary>
    public const string Html = "report.html";

    /// <summary>Writes the report of <paramref name="summary"/> into <paramref name="folder"/> (created if missing).</summary>
    public static void Write(SuiteSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        SummaryFiles.Write(summary, folder);
        var plots = Path.Combine(folder, "plots");
        Directory.CreateDirectory(plots);
        // Figures of variants since renamed or removed would otherwise linger next to the current ones.
        foreach (var old in Directory.EnumerateFiles(plots).Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".svg", StringComparison.Ordinal)))
            File.Delete(old);
        var figures = ComparisonPlots.Write(summary, plots);
        HtmlReport.Write(summary, figures, Path.Combine(folder, Html));
    }
}
