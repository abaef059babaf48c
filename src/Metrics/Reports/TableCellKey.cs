namespace Harness.Metrics.Reports;

/// <summary>One cell's position in a results table: its row (a method) and column (e.g. a scenario).</summary>
public readonly record struct TableCellKey(string Row, string Column);
