using System.Globalization;

namespace Harness.Metrics.Reports;

/// <summary>
/// A results table in a paper's shape (rows = methods, columns = e.g. scenarios, cells = mean ± std over seeds), built
/// from a suite's summary and a <see cref="ResultTableLayout"/>. Every (row, column) has a cell, row-major; a cell
/// whose variant has no completed run, or no value of the metric, is missing (shown as "—") with its reason.
/// </summary>
public sealed record ResultTable(ResultTableLayout Layout, IReadOnlyList<ResultTableCell> Cells, int ExpectedRuns)
{
    /// <summary>What a missing cell shows.</summary>
    public const string MissingText = "—";

    /// <summary>
    /// Fills <paramref name="layout"/> from <paramref name="summary"/>: each cell is the metric's mean, std and n of its
    /// variant, mean and std multiplied by <see cref="ResultTableLayout.Scale"/>. <paramref name="expectedRuns"/> is
    /// the number of seeds the suite declares; a cell with another n says so.
    /// </summary>
    /// <exception cref="ArgumentException">The metric is not one a run reports, or the layout names a cell outside its rows and columns.</exception>
    public static ResultTable Build(SuiteSummary summary, ResultTableLayout layout, int expectedRuns)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(layout);
        // A metric no run could ever have is a typo; one the runs merely lack (bwt of a joint run) leaves cells empty.
        if (!RunRecord.ScalarOrder.Contains(layout.Metric) && !summary.MetricNames.Contains(layout.Metric) && summary.Variants.Count > 0)
            throw new ArgumentException(
                $"table metric '{layout.Metric}' is not a metric of this suite (it has: {string.Join(", ", summary.MetricNames)})", nameof(layout));
        foreach (var (variant, key) in layout.Variants.Concat(layout.Reference.Keys.Select(k => KeyValuePair.Create("reference", k))))
            if (!layout.Rows.Contains(key.Row) || !layout.Columns.Contains(key.Column))
                throw new ArgumentException($"table: {variant} is placed at ({key.Row}, {key.Column}), outside the table's rows and columns", nameof(layout));

        var byCell = layout.Variants.ToDictionary(p => p.Value, p => p.Key);
        var cells = new List<ResultTableCell>();
        foreach (var row in layout.Rows)
        foreach (var column in layout.Columns)
        {
            var key = new TableCellKey(row, column);
            var reference = layout.Reference.GetValueOrDefault(key);
            if (!byCell.TryGetValue(key, out var label))
            {
                cells.Add(new ResultTableCell(row, column, null, null, reference, "no variant of the suite fills this cell"));
                continue;
            }
            var variant = summary.Variants.FirstOrDefault(v => v.Label == label);
            var stats = variant?[layout.Metric];
            var value = stats is { } s ? new MetricStats(s.Mean * layout.Scale, s.Std * layout.Scale, s.N) : null;
            string? missing = variant is null ? $"{label} has no completed run"
                : value is null ? $"no run of {label} has {layout.Metric}"
                : null;
            cells.Add(new ResultTableCell(row, column, label, value, reference, missing));
        }
        return new ResultTable(layout, cells, expectedRuns);
    }

    /// <summary>The cell at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public ResultTableCell this[string row, string column] => Cells.Single(c => c.Row == row && c.Column == column);

    /// <summary>Cells without a value of ours, in table order.</summary>
    public IReadOnlyList<ResultTableCell> Missing => Cells.Where(c => c.Value is null).ToList();

    /// <summary>Rows that have at least one published value.</summary>
    public bool HasReference(string row) => Cells.Any(c => c.Row == row && c.Reference is not null);

    /// <summary>Our cell as text: "93.46 ± 2.01", "93.46" for one run, " (n=2)" appended when n is not the seed count, "—" when missing.</summary>
    public string OursText(ResultTableCell cell) => cell.Value is { } v
        ? Pair(v.Mean, v.Std) + (v.N != ExpectedRuns ? string.Create(CultureInfo.InvariantCulture, $" (n={v.N})") : "")
        : MissingText;

    /// <summary>The published value as text ("93.46 ± 2.01" or "93.46"), or empty when the source has none.</summary>
    public string ReferenceText(ResultTableCell cell) => cell.Reference is { } r ? Pair(r.Mean, r.Std) : "";

    /// <summary>
    /// The line under the table: what the numbers are (metric, scale, seeds, what "(n=k)" means) and the reference's
    /// source.
    /// </summary>
    public string Note()
    {
        var scale = Layout.Scale == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" × {Layout.Scale:R}");
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{Layout.Metric}{scale}: mean ± sample std over {ExpectedRuns} seed{(ExpectedRuns == 1 ? "" : "s")}; (n=k): over k runs only.");
        return Layout.ReferenceSource is { } source ? $"{note} Published: {source.TrimEnd('.')}." : note;
    }

    /// <summary><paramref name="value"/> rounded to the layout's decimals, invariant culture, never "-0.00".</summary>
    public string Format(double value)
    {
        string text = value.ToString("F" + Layout.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.StartsWith('-') && text.AsSpan(1).IndexOfAnyExcept("0.") < 0 ? text[1..] : text;
    }

    private string Pair(double mean, double? std) => std is { } s ? $"{Format(mean)} ± {Format(s)}" : Format(mean);
}
