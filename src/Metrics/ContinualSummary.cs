namespace Harness.Metrics;

/// <summary>
/// The standard continual-learning metrics of one accuracy matrix, as computed by
/// <see cref="ContinualMetrics.Compute"/>. Metrics that need at least two sequential stages are null otherwise.
/// </summary>
/// <param name="Acc">Average accuracy after the last stage (<see cref="ContinualMetrics.Acc"/>).</param>
/// <param name="Bwt">Backward transfer (<see cref="ContinualMetrics.Bwt"/>); null for T = 1 or a joint matrix.</param>
/// <param name="Fwt">Forward transfer (<see cref="ContinualMetrics.Fwt"/>); null for T = 1 or a joint matrix.</param>
/// <param name="Forgetting">Forgetting per domain, domains 1..T-1 in curriculum order
/// (<see cref="ContinualMetrics.Forgetting"/>); empty for T = 1 or a joint matrix.</param>
/// <param name="AvgForgetting">Mean of <paramref name="Forgetting"/> (<see cref="ContinualMetrics.AvgForgetting"/>);
/// null when it is empty.</param>
/// <param name="LearningAccuracy">Mean accuracy on each domain right after it was learned
/// (<see cref="ContinualMetrics.LearningAccuracy"/>).</param>
public sealed record ContinualSummary(
    double Acc,
    double? Bwt,
    double? Fwt,
    IReadOnlyDictionary<string, double> Forgetting,
    double? AvgForgetting,
    double LearningAccuracy);
