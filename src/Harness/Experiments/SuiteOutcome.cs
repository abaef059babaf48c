using Harness.Metrics.Reports;

namespace Harness.Experiments;

/// <summary>The result of a suite command: its folder, the summary its report shows, and the runs that failed now.</summary>
internal sealed record SuiteOutcome(string Directory, SuiteSummary Summary, IReadOnlyList<IncompleteRun> Failed);
