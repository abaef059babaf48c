using Harness.Metrics.Reports;

namespace Harness.Experiments;

/// <summary>
/// The result of a suite command: its folder, the summary its report shows (null for a --shard, which writes none), and
/// the runs that failed now (for --report-only: the selected runs the report lacks).
/// </summary>
internal sealed record SuiteOutcome(string Directory, SuiteSummary? Summary, IReadOnlyList<IncompleteRun> Failed);
