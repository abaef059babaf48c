using System.Net;
using Harness.Metrics.IO;

namespace Harness.Metrics.Reports;

/// <summary>The self-contained HTML report (being written: tables of mean ± std, embedded figures).</summary>
public static class HtmlReport
{
    /// <summary>Writes report.html for <paramref name="summary"/> with <paramref name="figures"/> embedded.</summary>
    public static void Write(SuiteSummary summary, IReadOnlyList<ReportFigure> figures, string path) =>
        AtomicFile.WriteAllText(path, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(summary.Title)}</title></head><body></body></html>\n");
}
