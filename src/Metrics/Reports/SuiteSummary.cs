namespace Harness.Metrics.Reports;

/// <summary>
/// What a suite or a comparison aggregated: its variants in order, the metric columns reports show (every scalar any
/// variant has, in <see cref="RunRecord.ScalarOrder"/> then per-domain forgetting), and the runs it had to leave out.
/// </summary>
public sealed record SuiteSummary(
    string Title,
    IReadOnlyList<VariantSummary> Variants,
    IReadOnlyList<string> MetricNames,
    IReadOnlyList<IncompleteRun> Incomplete);
