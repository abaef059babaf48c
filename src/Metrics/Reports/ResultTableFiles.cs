using System.Globalization;
using System.Text;
using Harness.Metrics.IO;

namespace Harness.Metrics.Reports;

/// <summary>
/// Writes a <see cref="ResultTable"/> as <c>table.md</c> (what a paper or README shows: one row per method, and under
/// each method with published numbers a "(published)" row, so ours and the paper's line up column by column and a
/// diff of a rerun touches only our rows) and <c>table.csv</c> (one line per cell, full precision, for tools), both
/// atomically.
/// </summary>
public static class ResultTableFiles
{
    /// <summary>File name of the Markdown table.</summary>
    public const string Markdown = "table.md";

    /// <summary>File name of the CSV table.</summary>
    public const string Csv = "table.csv";

    /// <summary>Header of <see cref="Csv"/>.</summary>
    public const string CsvHeader = "row,column,mean,std,n,reference_mean,reference_std,difference";

    /// <summary>Writes both files into <paramref name="folder"/> (which must exist).</summary>
    public static void Write(ResultTable table, string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, Markdown), ToMarkdown(table));
        AtomicFile.WriteAllText(Path.Combine(folder, Csv), ToCsv(table));
    }

    /// <summary>The Markdown text: caption, table, a note on what the numbers are, and the missing cells.</summary>
    public static string ToMarkdown(ResultTable table)
    {
        var layout = table.Layout;
        var md = new StringBuilder();
        if (layout.Caption is { } caption) md.Append(Cell(caption)).Append("\n\n");
        md.Append("| variant |").AppendJoin("", layout.Columns.Select(c => $" {Cell(c)} |")).Append('\n')
            .Append("| --- |").AppendJoin("", layout.Columns.Select(_ => " ---: |")).Append('\n');
        foreach (var row in layout.Rows)
        {
            var cells = table.Cells.Where(c => c.Row == row).ToList();
            md.Append($"| {Cell(row)} |").AppendJoin("", cells.Select(c => $" {table.OursText(c)} |")).Append('\n');
            if (table.HasReference(row))
                md.Append($"| {Cell(row)} (published) |").AppendJoin("", cells.Select(c => $" {table.ReferenceText(c)} |")).Append('\n');
        }
        md.Append('\n').Append(table.Note()).Append('\n');
        if (table.Missing.Count > 0)
        {
            md.Append("\nMissing cells (").Append(ResultTable.MissingText).Append("):\n");
            foreach (var cell in table.Missing) md.Append($"- {Cell(cell.Row)}, {Cell(cell.Column)}: {cell.MissingReason}\n");
        }
        return md.ToString();
    }

    /// <summary>The CSV text: one line per cell in table order, invariant culture, six decimals, empty fields for undefined values.</summary>
    public static string ToCsv(ResultTable table)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (var c in table.Cells)
        {
            csv.AppendJoin(',',
                    Field(c.Row), Field(c.Column), Number(c.Value?.Mean), Number(c.Value?.Std),
                    (c.Value?.N ?? 0).ToString(CultureInfo.InvariantCulture),
                    Number(c.Reference?.Mean), Number(c.Reference?.Std), Number(c.Difference))
                .Append('\n');
        }
        return csv.ToString();
    }

    // A '|' would end the cell and a line break the row.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    // Six decimals like summary.csv: stable text across machines, far finer than any table shows.
    private static string Number(double? value) => value is { } v ? Math.Round(v, 6).ToString("R", CultureInfo.InvariantCulture) : "";
}
