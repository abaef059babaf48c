namespace Harness.Metrics.Reports;

/// <summary>One comparison plot written as PNG and SVG, with the section and caption the HTML report shows it under.</summary>
public sealed record ReportFigure(string Section, string Caption, string PngPath, string SvgPath);
