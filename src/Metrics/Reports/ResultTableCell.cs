namespace Harness.Metrics.Reports;

/// <summary>
/// One cell of a built results table: our mean ± std (n) over seeds, already scaled, or null with the reason it is
/// missing; and the published value when the reference has one.
/// </summary>
public sealed record ResultTableCell(
    string Row,
    string Column,
    string? Variant,
    MetricStats? Value,
    PublishedValue? Reference,
    string? MissingReason)
{
    /// <summary>Our mean minus the published mean, when both exist.</summary>
    public double? Difference => Value is { } v && Reference is { } r ? v.Mean - r.Mean : null;
}
