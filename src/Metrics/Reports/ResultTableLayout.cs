namespace Harness.Metrics.Reports;

/// <summary>
/// The declaration of a results table in a paper's shape, free of how a suite names things: which metric, how it is
/// scaled and rounded, the rows and columns in display order, which variant fills which cell, and the published
/// numbers to show beside ours.
/// </summary>
public sealed record ResultTableLayout
{
    /// <summary>Text above the table; null for none.</summary>
    public string? Caption { get; init; }

    /// <summary>The scalar metric of every cell (a key of <see cref="VariantSummary.Metrics"/>).</summary>
    public string Metric { get; init; } = "acc";

    /// <summary>Factor applied to means and standard deviations (100 turns an accuracy into percent).</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Decimals shown in the Markdown and HTML tables (the CSV keeps six).</summary>
    public int Decimals { get; init; } = 2;

    /// <summary>Row labels, top to bottom.</summary>
    public required IReadOnlyList<string> Rows { get; init; }

    /// <summary>Column labels, left to right.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Variant label → the cell its runs fill; a cell no variant fills stays empty.</summary>
    public required IReadOnlyDictionary<string, TableCellKey> Variants { get; init; }

    /// <summary>Where <see cref="Reference"/> comes from (e.g. "Hsu et al. 2018, Table 2"); null for none.</summary>
    public string? ReferenceSource { get; init; }

    /// <summary>Published numbers, in the table's units, for the cells the source reports.</summary>
    public IReadOnlyDictionary<TableCellKey, PublishedValue> Reference { get; init; } = new Dictionary<TableCellKey, PublishedValue>();
}
