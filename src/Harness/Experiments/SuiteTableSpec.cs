using Harness.Metrics.Reports;

namespace Harness.Experiments;

/// <summary>
/// A suite file's <c>table:</c>: a results table in a paper's shape whose rows are the variants' base labels (file
/// order) and whose columns are the values of one grid key (first-seen order). Checked when the suite loads: every
/// variant has the column key, no two variants fill one cell, the metric is one runs report, and every published value
/// names an existing row and column.
/// </summary>
internal sealed record SuiteTableSpec
{
    /// <summary>Text above the table; null for none.</summary>
    public string? Caption { get; init; }

    /// <summary>The scalar metric of every cell (acc, bwt, avg_forgetting, forgetting.&lt;domain&gt;, ...).</summary>
    public string Metric { get; init; } = "acc";

    /// <summary>Factor applied to our means and stds (100 for percent); published values are given already scaled.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Decimals shown.</summary>
    public int Decimals { get; init; } = 2;

    /// <summary>The grid key whose values are the columns (e.g. benchmark.scenario).</summary>
    public required string Columns { get; init; }

    /// <summary>Where the published values come from; null for none.</summary>
    public string? ReferenceSource { get; init; }

    /// <summary>Published values by (row, column), in the table's units.</summary>
    public IReadOnlyDictionary<TableCellKey, PublishedValue> Reference { get; init; } = new Dictionary<TableCellKey, PublishedValue>();

    /// <summary>The cell <paramref name="variant"/> fills (every variant has the column key once the suite has loaded).</summary>
    public TableCellKey CellOf(SuiteVariant variant) => new(variant.BaseLabel, variant.Grid[Columns]);

    /// <summary>The table's layout over <paramref name="variants"/> (the suite's, in file order), for the report.</summary>
    public ResultTableLayout Layout(IReadOnlyList<SuiteVariant> variants) => new()
    {
        Caption = Caption,
        Metric = Metric,
        Scale = Scale,
        Decimals = Decimals,
        Rows = variants.Select(v => v.BaseLabel).Distinct().ToList(),
        Columns = variants.Select(v => v.Grid[Columns]).Distinct().ToList(),
        Variants = variants.ToDictionary(v => v.Label, CellOf),
        ReferenceSource = ReferenceSource,
        Reference = Reference,
    };
}
