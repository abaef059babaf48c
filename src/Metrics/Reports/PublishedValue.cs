namespace Harness.Metrics.Reports;

/// <summary>
/// A published number a results table shows beside ours, in the table's units (already scaled, e.g. percent): the
/// paper's mean and, when it reports one, its standard deviation.
/// </summary>
public sealed record PublishedValue(double Mean, double? Std);
