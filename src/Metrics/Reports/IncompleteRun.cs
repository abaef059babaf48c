namespace Harness.Metrics.Reports;

/// <summary>A run a report expected but could not use (missing, failed, interrupted, unreadable), and why.</summary>
public sealed record IncompleteRun(string Variant, int? Seed, string Directory, string Reason);
